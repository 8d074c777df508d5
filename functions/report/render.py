"""Render a stored report body as Markdown, in the order a responder reads it: impact, cause, evidence, what to
do, runbooks, what was healthy, what could not be checked; then alerts, timeline and the post-mortem draft."""

from __future__ import annotations

import re

from functions.report import glance
from functions.report.code_review import code_review_lines
from functions.report.model import IncidentReport
from sreo_events.models import Cause

SECTIONS = ("Impact", "Most probable cause", "Evidence", "What to do now", "Runbooks", "Checked and healthy",
            "Could not be checked")


def code(text: str) -> str:
    """An inline code span that survives backticks in the text."""
    text = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _impact(report: IncidentReport) -> list[str]:
    lines = ["## Impact", "", report.impact, ""]
    affected = report.affected
    lines += [f"- Symptom: {symptom}" for symptom in affected.symptoms]
    if affected.firing_alerts:
        lines.append(f"- Firing: {', '.join(affected.firing_alerts)}")
    return lines + ([""] if affected.symptoms or affected.firing_alerts else [])


def _cause(causes: list[Cause]) -> list[str]:
    lines = ["## Most probable cause", ""]
    if not causes:
        return lines + ["No cause could be ranked from the evidence collected.", ""]
    top = causes[0]
    lines += [f"**{top.component}** {glance.kind_words(top.kind)} ({glance.confidence(top.confidence)[0]})",
              "", top.reason, ""]
    if len(causes) > 1:
        lines += ["Other candidates:", ""]
        lines += [f"{rank}. **{cause.component}** {glance.kind_words(cause.kind)} · "
                  f"{glance.confidence(cause.confidence)[0]} — {cause.reason}"
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
            lines.append(f"{rank}. **{entry.component}**")
        domain = f"{entry.domain}, " if entry.domain else ""
        symptom = f" on {entry.subject}, a symptom it explains" if entry.is_symptom else ""
        lines.append(f"   - **{entry.kind}**{symptom} ({domain}{entry.severity}, score {entry.score:.2f}): "
                     f"{entry.summary}")
        if entry.link:
            lines.append(f"     - [graph in Prometheus]({entry.link})")
        if entry.log_search:
            lines.append(f"     - log search: {code(entry.log_search.query)}"
                         f" from {entry.log_search.start} to {entry.log_search.end}")
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
            approval = f" · **requires approval** ({action.approval}" + (
                f" by {action.approved_by})" if action.approved_by else ")")
        command = f": {code(action.command)}" if action.command else ""
        lines.append(f"- [{action.id}] {action.title} (risk {action.risk}{approval}){command}")
    return lines + [""]


def _runbooks(report: IncidentReport) -> list[str]:
    if not report.runbooks:
        return []
    lines = ["## Runbooks", ""]
    for runbook in report.runbooks:
        target = runbook.link or runbook.path or runbook.id
        section = f" — see [{runbook.section}]({target})" if runbook.section else ""
        lines.append(f"- [{runbook.title}]({runbook.path or runbook.id}) for {runbook.component}{section}")
    return lines + [""]


def _unchecked(report: IncidentReport) -> list[str]:
    text = {"failed": "failed — {reason}", "missing": "{reason}", "no_data": "no data — {reason}"}
    items = [f"- {item.domain}: " + text.get(item.status, "{reason}").format(reason=item.reason)
             for item in report.unchecked]
    items += [f"- {item}" for item in report.not_judged]
    return ["## Could not be checked", ""] + items + [""] if items else []


def _also_unhealthy(report: IncidentReport) -> list[str]:
    """Unhealthy components the dependency graph does not connect to this incident, and a missing graph."""
    lines = []
    if report.dependency_graph is False:
        lines += [("No dependency graph was available: causes are ranked by change strength, onset and "
                  "corroboration alone."), ""]
    if report.also_unhealthy:
        lines += ["## Also unhealthy, not connected to this incident", ""]
        lines += [f"- {c.component} ({c.kind}): {c.reason}" for c in report.also_unhealthy] + [""]
    return lines


def markdown(report: IncidentReport) -> str:
    body = report.dump()  # the shared helpers read the JSON shape
    lines = [f"# {report.title}", "",
             (f"Incident `{report.incident_id}` · severity **{report.severity}** · status "
              f"**{report.status}** · started {report.started_at}"
              + (f" · resolved {report.resolved_at}" if report.resolved_at else "")), ""]
    lines += [f"**{glance.headline(body)}**", ""]
    if report.causes:
        lines += [glance.confidence(report.causes[0].confidence)[0].capitalize() + ".", ""]
    lines += _impact(report) + _cause(report.causes) + _evidence(report) + _actions(report) + _runbooks(report)
    lines += code_review_lines(body)
    if report.healthy:
        lines += ["## Checked and healthy", ""] + [f"- {item}" for item in report.healthy] + [""]
    lines += _unchecked(report) + _also_unhealthy(report)
    if report.narrative:
        lines += ["## Narrative (generated, check it against the evidence)", "", report.narrative, ""]
    if report.alerts:
        lines += ["## Alerts", ""] + [f"- {a.alertname} ({a.status}, ×{a.count})" for a in report.alerts]
        lines.append("")
    if report.approvals:
        lines += ["## Approvals", ""] + [
            f"- {a.approved_at} · {a.action_id} approved by {a.approver}" + (f": {a.comment}" if a.comment else "")
            for a in report.approvals] + [""]
    lines += ["## Timeline", ""] + [f"- {entry.at} · {entry.actor} · {entry.text}" for entry in report.timeline] + [""]
    if report.postmortem:  # its own document: `format=postmortem`
        lines += ["## Post-mortem", "", report.postmortem.summary, "",
                  (f"The blameless draft: `sreo incident show {report.incident_id} --format postmortem` or "
                   f"/incidents/{report.incident_id}/report?format=postmortem"), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
