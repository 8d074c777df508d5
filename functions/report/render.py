"""Render a report as Markdown, in the order a responder reads it: impact, cause, evidence, what to do,
runbooks, what was healthy, what could not be checked; then alerts, timeline and the post-mortem draft.

Every value that came from outside (`t`) is escaped, so a log line renders as itself and cannot add markup,
links or lines; link targets are kept only when http(s) or relative."""

from __future__ import annotations

import re

from functions._platform.rendering import markdown_text as t
from functions._platform.rendering import markdown_url, plain_text
from functions.report import glance
from functions.report.code_review import code_review_lines
from functions.report.model import DependencyPath, IncidentReport
from sreo_events.models import Cause

SECTIONS = ("Impact", "Most probable cause", "Evidence", "What to do now", "Runbooks", "Checked and healthy",
            "Could not be checked")


def code(text: str) -> str:
    """An inline code span that survives backticks in the text."""
    text = plain_text(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _link(text: str, url: str | None) -> str:
    return f"[{t(text)}]({url})" if url else t(text)


def _impact(report: IncidentReport) -> list[str]:
    lines = ["## Impact", "", t(report.impact), ""]
    affected = report.affected
    lines += [f"- Symptom: {t(symptom)}" for symptom in affected.symptoms]
    if affected.firing_alerts:
        lines.append(f"- Firing: {', '.join(t(a) for a in affected.firing_alerts)}")
    return lines + ([""] if affected.symptoms or affected.firing_alerts else [])


def _cause(causes: list[Cause], path: DependencyPath | None = None) -> list[str]:
    lines = ["## Most probable cause", ""]
    if not causes:
        return lines + ["No cause could be ranked from the evidence collected.", ""]
    top = causes[0]
    lines += [f"**{t(top.component)}** {t(glance.kind_words(top.kind))} ({glance.confidence(top.confidence)[0]})",
              "", t(top.reason), ""]
    if path:
        lines += ["Dependency path: " + " → ".join(t(node) for node in path.nodes), ""]
    if len(causes) > 1:
        lines += ["Other candidates:", ""]
        lines += [f"{rank}. **{t(cause.component)}** {t(glance.kind_words(cause.kind))} · "
                  f"{glance.confidence(cause.confidence)[0]} — {t(cause.reason)}"
                  for rank, cause in enumerate(causes[1:], 2)]
        lines.append("")
    return lines


def _evidence(report: IncidentReport) -> list[str]:
    if not report.evidence:
        return []
    lines = ["## Evidence", ""]
    rank = None
    for entry in report.evidence:
        if entry.cause_rank != rank:
            rank = entry.cause_rank
            lines.append(f"{rank}. **{t(entry.component)}**")
        domain = f"{t(entry.domain)}, " if entry.domain else ""
        symptom = f" on {t(entry.subject)}, a symptom it explains" if entry.is_symptom else ""
        lines.append(f"   - **{t(entry.kind)}**{symptom} ({domain}{t(entry.severity)}, score {entry.score:.2f}): "
                     f"{t(entry.summary)}")
        if markdown_url(entry.link):
            lines.append(f"     - [graph in Prometheus]({markdown_url(entry.link)})")
        if entry.log_search:
            lines.append(f"     - log search: {code(entry.log_search.query)}"
                         f" from {t(entry.log_search.start)} to {t(entry.log_search.end)}")
        if entry.query:
            lines.append(f"     - query: {code(entry.query)}")
    return lines + [""]


def _actions(report: IncidentReport) -> list[str]:
    if not report.actions:
        return []
    lines = ["## What to do now", "",
             ("Nothing here is executed by the orchestrator; actions marked *requires approval* are destructive."
              " Approve with `POST /incidents/{id}/actions/{action_id}/approve`."), ""]
    for action in report.actions:
        approval = ""
        if action.requires_approval:
            approval = f" · **requires approval** ({t(action.approval)}" + (
                f" by {t(action.approved_by)})" if action.approved_by else ")")
        command = f": {code(action.command)}" if action.command else ""
        lines.append(f"- [{t(action.id)}] {t(action.title)} (risk {t(action.risk)}{approval}){command}")
    return lines + [""]


def _runbooks(report: IncidentReport) -> list[str]:
    if not report.runbooks:
        return []
    lines = ["## Runbooks", ""]
    for runbook in report.runbooks:
        target = markdown_url(runbook.link or runbook.path or runbook.id)
        section = f" — see {_link(runbook.section, target)}" if runbook.section else ""
        lines.append(f"- {_link(runbook.title, markdown_url(runbook.path or runbook.id))} for "
                     f"{t(runbook.component)}{section}")
    return lines + [""]


def _unchecked(report: IncidentReport) -> list[str]:
    text = {"failed": "failed — {reason}", "missing": "{reason}", "no_data": "no data — {reason}"}
    items = [f"- {t(item.domain)}: " + text.get(item.status, "{reason}").format(reason=t(item.reason))
             for item in report.unchecked]
    items += [f"- {t(item)}" for item in report.not_judged]
    return ["## Could not be checked", ""] + items + [""] if items else []


def _also_unhealthy(report: IncidentReport) -> list[str]:
    """Unhealthy components the dependency graph does not connect to this incident, and a missing graph."""
    lines = []
    if report.dependency_graph is False:
        lines += [("No dependency graph was available: causes are ranked by change strength, onset and "
                  "corroboration alone."), ""]
    if report.also_unhealthy:
        lines += ["## Also unhealthy, not connected to this incident", ""]
        lines += [f"- {t(c.component)} ({t(c.kind)}): {t(c.reason)}" for c in report.also_unhealthy] + [""]
    return lines


def markdown(report: IncidentReport) -> str:
    body = report.dump()  # the shared helpers read the JSON shape
    lines = [f"# {t(report.title)}", "",
             (f"Incident {code(report.incident_id)} · severity **{t(report.severity)}** · status "
              f"**{t(report.status)}** · started {t(report.started_at)}"
              + (f" · resolved {t(report.resolved_at)}" if report.resolved_at else "")), ""]
    lines += [f"**{t(glance.headline(body))}**", ""]
    if report.causes:
        lines += [glance.confidence(report.causes[0].confidence)[0].capitalize() + ".", ""]
    lines += _impact(report) + _cause(report.causes, report.dependency_path) + _evidence(report) + _actions(report) + _runbooks(report)
    lines += code_review_lines(body)
    if report.healthy:
        lines += ["## Checked and healthy", ""] + [f"- {t(item)}" for item in report.healthy] + [""]
    lines += _unchecked(report) + _also_unhealthy(report)
    if report.narrative:
        lines += ["## Narrative (generated, check it against the evidence)", "", t(report.narrative), ""]
    if report.alerts:
        lines += ["## Alerts", ""] + [f"- {t(a.alertname)} ({t(a.status)}, ×{a.count})" for a in report.alerts]
        lines.append("")
    if report.approvals:
        lines += ["## Approvals", ""] + [
            f"- {t(a.approved_at)} · {t(a.action_id)} approved by {t(a.approver)}"
            + (f": {t(a.comment)}" if a.comment else "")
            for a in report.approvals] + [""]
    lines += ["## Timeline", ""] + [f"- {t(e.at)} · {t(e.actor)} · {t(e.text)}" for e in report.timeline] + [""]
    if report.postmortem:  # its own document: `format=postmortem`
        lines += ["## Post-mortem", "", t(report.postmortem.summary), "",
                  (f"The blameless draft: {code(f'sreo incident show {report.incident_id} --format postmortem')} or "
                   f"{t(f'/incidents/{report.incident_id}/report?format=postmortem')}"), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
