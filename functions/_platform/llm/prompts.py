"""Compact, bounded prompt text built from a report body (the shape of functions/report/compose.py `build`)."""

from __future__ import annotations

from typing import Any

MAX_CAUSES = 3
MAX_FINDINGS = 3
MAX_ACTIONS = 2
MAX_LINE = 300
MAX_PROMPT = 6000

NARRATIVE_SYSTEM = (
    "You are a site reliability engineer writing the narrative summary of an incident report for the "
    "responders. Use only the facts given. The causes are already ranked by the correlation engine and the "
    "order is final: "
    "do not promote, demote, merge or invent causes. Say what is affected, the most probable cause and the "
    "evidence for it, the first safe action, and what could not be checked. Write at most five sentences of "
    "plain text: no headings, no lists, no Markdown."
)


def clip(text: Any, limit: int = MAX_LINE) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _cause_lines(rank: int, cause: dict[str, Any]) -> list[str]:
    lines = [clip(f"{rank}. {cause.get('component')} — {cause.get('kind')}, "
                  f"confidence {float(cause.get('confidence') or 0):.0%}"),
             "   Reason: " + clip(cause.get("reason", ""))]
    findings = cause.get("evidence") or []
    for finding in findings[:MAX_FINDINGS]:
        lines.append("   Evidence: " + clip(f"{finding.get('kind')} ({finding.get('severity')}) on "
                                           f"{finding.get('subject')}: {finding.get('summary', '')}"))
    if len(findings) > MAX_FINDINGS:
        lines.append(f"   (+{len(findings) - MAX_FINDINGS} more findings)")
    for action in (cause.get("actions") or [])[:MAX_ACTIONS]:
        approval = ", needs human approval" if action.get("requires_approval") else ""
        lines.append("   Action: " + clip(f"{action.get('title')} (risk {action.get('risk')}{approval})"))
    return lines


def _unchecked(domains: dict[str, Any]) -> list[str]:
    items = [f"{domain}: failed — {error}" for domain, error in (domains.get("failed") or {}).items()]
    items += [f"{domain}: never answered" for domain in domains.get("missing") or []]
    items += [f"{domain}: no data — {why}" for domain, why in (domains.get("no_data") or {}).items()]
    return [clip(item) for item in items]


def narrative_prompt(report: dict[str, Any]) -> str:
    where = ", ".join(f"{key} {report[key]}" for key in ("service", "namespace") if report.get(key))
    lines = [f"Incident: {clip(report.get('title', ''))}",
             f"Severity: {report.get('severity', 'unknown')}" + (f"; {where}" if where else ""),
             f"Summary: {clip(report.get('summary', ''))}",
             f"Impact: {clip(report.get('impact', ''), 2 * MAX_LINE)}"]
    causes = report.get("causes") or []
    if causes:
        lines.append("Ranked causes (the order is final):")
        for rank, cause in enumerate(causes[:MAX_CAUSES], 1):
            lines += _cause_lines(rank, cause)
        if len(causes) > MAX_CAUSES:
            lines.append(f"(+{len(causes) - MAX_CAUSES} lower-ranked causes)")
    else:
        lines.append("Ranked causes: none could be ranked from the evidence collected.")
    unchecked = _unchecked(report.get("domains") or {})
    if unchecked:
        lines.append("Could not be checked: " + "; ".join(unchecked))
    alerts = sorted({str(a["alertname"]) for a in report.get("alerts") or [] if a.get("alertname")})
    if alerts:
        lines.append("Alerts: " + clip(", ".join(alerts)))
    if report.get("complete") is False:
        lines.append("The investigation is partial: not every domain answered before the deadline.")
    return "\n".join(lines)[:MAX_PROMPT]


def routing_system(domains: list[str]) -> str:
    return ("You route incident reports to investigation domains. Reply with a JSON array of the domain "
            f"names that apply, chosen only from {domains}, most relevant first, and nothing else. "
            "Reply [] when none apply.")
