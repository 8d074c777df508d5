"""A blameless post-mortem draft, written from the report body: it names systems and signals, never people."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from functions._platform.rendering import markdown_text as t

MAX_FACTORS = 3
LOW_CONFIDENCE = 0.5


def _at(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _duration(start: str | None, end: str | None) -> str | None:
    began, ended = _at(start), _at(end)
    if began is None or ended is None or ended < began:
        return None
    seconds = round((ended - began).total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def timeline(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Alert start times, the first anomaly seen on each implicated component, and the stored timeline."""
    events: list[tuple[datetime, int, dict[str, Any]]] = []

    def add(at: str | None, source: str, text: str) -> None:
        parsed = _at(at)
        if parsed is not None:
            events.append((parsed, len(events), {"at": parsed.isoformat(), "source": source, "text": text}))

    add(body.get("started_at"), "incident", "Trouble began (reported start of the incident)")
    for alert in body.get("alerts", []):
        add(alert.get("starts_at"), "alert", f"Alert {alert['alertname']} started firing")
    first_onset: dict[str, dict[str, Any]] = {}
    for entry in body.get("evidence", []):
        onset = _at(entry.get("onset"))
        current = first_onset.get(entry["component"])
        if onset is not None and (current is None or onset < _at(current["onset"])):
            first_onset[entry["component"]] = entry
    for component, entry in first_onset.items():
        add(entry["onset"], "evidence", f"First anomaly on {component}: {entry['kind']} ({entry['summary']})")
    for entry in body.get("timeline", []):
        add(entry["at"], entry["actor"], entry["text"])
    return [event for _, _, event in sorted(events, key=lambda e: (e[0], e[1]))]


def contributing_factors(causes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"component": cause["component"], "kind": cause["kind"], "confidence": cause["confidence"],
             "factor": cause["reason"], "evidence": [f["summary"] for f in cause["evidence"][:3]]}
            for cause in causes[:MAX_FACTORS]]


def went_well(body: dict[str, Any]) -> list[str]:
    notes = []
    reported = _duration(body.get("created_at"), body.get("reported_at"))
    if reported:
        notes.append(f"A diagnosis was published {reported} after the incident was opened.")
    answered = body["domains"]["answered"]
    if answered:
        notes.append(f"Evidence came back from {', '.join(answered)}.")
    if body.get("healthy"):
        notes.append(f"{len(body['healthy'])} check(s) ruled components out quickly (see Checked and healthy).")
    if any(c.get("runbooks") for c in body["causes"][:1]):
        notes.append("A runbook matched the most probable cause.")
    return notes


def was_hard(body: dict[str, Any]) -> list[str]:
    notes = [f"{item['domain']} could not be checked ({item['status']}): {item['reason']}"
             for item in body.get("unchecked", [])]
    causes = body["causes"]
    if not causes:
        notes.append("No cause could be ranked from the evidence collected.")
    elif causes[0]["confidence"] < LOW_CONFIDENCE:
        notes.append(f"The ranking was uncertain: the top cause had {causes[0]['confidence']:.0%} confidence.")
    if causes and not any(c.get("runbooks") for c in causes):
        notes.append("No runbook matched any cause.")
    if not body.get("complete"):
        notes.append("The report was published before every expected domain answered.")
    return notes


def action_items(body: dict[str, Any]) -> list[dict[str, Any]]:
    items = [{"id": action["id"], "title": action["title"], "type": "mitigation", "risk": action["risk"],
              "status": action["approval"], "owner": None} for action in body.get("actions", [])]
    for item in body.get("unchecked", []):
        items.append({"id": f"restore-evidence-{item['domain']}", "type": "follow-up", "risk": "low",
                      "title": f"Make the {item['domain']} evidence source available to the orchestrator",
                      "status": "open", "owner": None})
    causes = body["causes"]
    if causes and not causes[0].get("runbooks"):
        items.append({"id": f"write-runbook-{causes[0]['kind']}", "type": "follow-up", "risk": "low",
                      "title": f"Write a runbook for {causes[0]['kind'].replace('_', ' ')} on "
                               f"{causes[0]['component']}", "status": "open", "owner": None})
    return items


def draft(body: dict[str, Any]) -> dict[str, Any]:
    causes = body["causes"]
    top = causes[0] if causes else None
    summary = f"{body['title']}. " + (
        f"The most probable cause was {top['kind'].replace('_', ' ')} in {top['component']} "
        f"(confidence {top['confidence']:.0%})." if top else "No cause has been identified yet.")
    duration = _duration(body.get("started_at"), body.get("resolved_at"))
    return {
        "status": "draft",
        "title": f"Post-mortem: {body['title']}",
        "summary": summary,
        "impact": body["impact"] + (f" Duration: {duration}." if duration else " The incident is not resolved yet."),
        "timeline": timeline(body),
        "contributing_factors": contributing_factors(causes),
        "what_went_well": went_well(body),
        "what_was_hard": was_hard(body),
        "action_items": action_items(body),
    }


def markdown_lines(postmortem: dict[str, Any], level: int = 2) -> list[str]:
    head, sub = "#" * level, "#" * (level + 1)
    lines = [f"{head} {t(postmortem['title'])}", "",
             "*Blameless draft: it describes systems and signals, not people. Edit before sharing.*", "",
             f"{sub} Summary", "", t(postmortem["summary"]), "", f"{sub} Impact", "", t(postmortem["impact"]), "",
             f"{sub} Timeline", ""]
    lines += [f"- {t(e['at'])} · {t(e['source'])} · {t(e['text'])}" for e in postmortem["timeline"]] + [""]
    lines += [f"{sub} Contributing factors", ""]
    for factor in postmortem["contributing_factors"]:
        lines.append(f"- **{t(factor['component'])}** ({t(factor['kind'])}, confidence {factor['confidence']:.0%}): "
                     f"{t(factor['factor'])}")
        lines += [f"  - {t(summary)}" for summary in factor["evidence"]]
    if not postmortem["contributing_factors"]:
        lines.append("- None identified yet.")
    for heading, key in (("What went well", "what_went_well"), ("What was hard", "what_was_hard")):
        lines += ["", f"{sub} {heading}", ""] + ([f"- {t(note)}" for note in postmortem[key]] or ["- Nothing noted."])
    lines += ["", f"{sub} Action items", ""]
    lines += [f"- [ ] {t(item['title'])} ({t(item['type'])}, risk {t(item['risk'])}, {t(item['status'])})"
              for item in postmortem["action_items"]] or ["- None."]
    return lines + [""]


def markdown(postmortem: dict[str, Any]) -> str:
    return "\n".join(markdown_lines(postmortem, level=1))
