"""Compose an incident's report from report's own record of it (`incidents.py`) and its correlation, one named step
per part."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from functions._platform.config import Settings
from functions._platform.db.approvals import ActionApproval
from functions._platform.db.incident_view import summary
from functions._platform.db.models import TimelineEntry
from functions._platform.db.report_incidents import ReportIncident
from functions._platform.topology.store import load_graph
from functions.report import incidents, postmortem, sections
from functions.report.actions import suggest
from functions.report.dependency_path import shortest_path
from functions.report.model import (
    ActionEntry,
    Affected,
    AlertSummary,
    Approval,
    Domains,
    EvidenceEntry,
    IncidentReport,
    Postmortem,
    RunbookEntry,
    TimelineItem,
    TopCause,
    Unchecked,
)
from functions.report.runbooks import fits
from sreo_events.models import Cause, IncidentCorrelated


def now() -> datetime:
    return datetime.now(UTC)


def alert_summaries(session: Session, incident_id: str) -> list[dict[str, Any]]:
    return [{"alertname": a.alertname, "status": a.status, "count": a.count, "labels": a.labels,
             "annotations": a.annotations, "starts_at": a.starts_at.isoformat() if a.starts_at else None}
            for a in incidents.alerts_of(session, incident_id)]


def approval_records(session: Session, incident_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(ActionApproval).filter_by(incident_id=incident_id).order_by(ActionApproval.id))
    return [{"action_id": r.action_id, "action_title": r.action_title, "command": r.command, "approver": r.approver,
             "comment": r.comment, "client_address": r.client_address, "approved_at": r.approved_at.isoformat()}
            for r in rows]


def timeline_entries(session: Session, incident_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(TimelineEntry).filter_by(incident_id=incident_id)
                           .order_by(TimelineEntry.at, TimelineEntry.id))
    return [{"at": t.at.isoformat(), "actor": t.actor, "text": t.text} for t in rows]


def ranked_causes(incident: ReportIncident, correlated: IncidentCorrelated | None) -> list[Cause]:
    """The correlation's causes in rank order, each with its suggested actions."""
    ranked = correlated.causes if correlated else []
    for cause in ranked:
        if not cause.actions:
            cause.actions = suggest(cause.evidence, incident.namespace, cause.component)
    return ranked


def summary_line(causes: list[dict[str, Any]], correlated: IncidentCorrelated | None) -> str:
    if causes:
        top = causes[0]
        return f"Most probable cause: {top['component']} ({top['kind']}, confidence {top['confidence']:.0%})."
    return "Investigation in progress." if correlated is None else "No probable cause found."


def impact_line(incident: ReportIncident, correlated: IncidentCorrelated | None) -> str:
    who = incident.service or "an unnamed service"
    where = f" in namespace {incident.namespace}" if incident.namespace else ""
    text = f"{who}{where} is affected ({incident.severity}): {incident.title}."
    if correlated and correlated.causes:
        components = list(dict.fromkeys(c.component for c in correlated.causes[:3]))
        text += f" Components implicated: {', '.join(components)}."
    return text


def domain_answers(incident: ReportIncident, correlated: IncidentCorrelated | None) -> Domains:
    """Which domains were expected, answered, failed, never answered, or had no data (as correlate summed up)."""
    if correlated is None:
        return Domains(expected=list(incident.domains), answered=[], failed={}, missing=[], no_data={})
    return Domains(
        expected=list(incident.domains),
        answered=list(correlated.answered),
        failed=dict(correlated.failed),
        missing=list(correlated.missing),
        no_data={answer.domain: answer.error or "no data" for answer in correlated.evidence
                 if answer.status == "no_data"},
    )


def correlation_verdicts(correlated: IncidentCorrelated | None) -> dict[str, Any]:
    """What the correlation judged beyond the causes; before it, nothing judged and no graph known."""
    if correlated is None:
        return {"healthy": [], "not_judged": [], "also_unhealthy": [], "dependency_graph": None, "complete": False}
    return {"healthy": list(correlated.healthy), "not_judged": list(correlated.unjudged),
            "also_unhealthy": list(correlated.unconnected), "dependency_graph": bool(correlated.graph),
            "complete": bool(correlated.complete)}


def build(session: Session, incident: ReportIncident, correlated: IncidentCorrelated | None,
          settings: Settings | None = None) -> IncidentReport:
    alerts = alert_summaries(session, incident.id)
    ranked = ranked_causes(incident, correlated)
    causes = [cause.model_dump(mode="json") for cause in ranked]
    domains = domain_answers(incident, correlated)
    approvals = approval_records(session, incident.id)
    prometheus_url = settings.prometheus_url if settings else None
    incident_part = {k: v for k, v in summary(incident).items() if k != "id"}
    triaged = [runbook for runbook in incident.runbooks or [] if fits(runbook["id"], ranked, alerts)]
    report = IncidentReport(
        **{**incident_part, "domains": domains},
        incident_id=incident.id,
        summary=summary_line(causes, correlated),
        impact=impact_line(incident, correlated),
        affected=Affected(**sections.affected(incident.service, incident.namespace, incident.severity, alerts,
                                              causes)),
        top_cause=TopCause(**top) if (top := sections.top_cause(causes)) else None,
        causes=ranked,
        evidence=[EvidenceEntry(**e) for e in sections.evidence_entries(causes, prometheus_url)],
        actions=[ActionEntry(**a) for a in sections.action_entries(causes, approvals)],
        runbooks=[RunbookEntry(**r) for r in sections.runbook_entries(causes, triaged, incident.service, alerts)],
        unchecked=[Unchecked(**u) for u in sections.unchecked(domains.model_dump())],
        **correlation_verdicts(correlated),
        dependency_path=shortest_path(load_graph(session), incident.service, ranked[0].component)
        if ranked else None,
        alerts=[AlertSummary(**a) for a in alerts],
        approvals=[Approval(**a) for a in approvals],
        timeline=[TimelineItem(**t) for t in timeline_entries(session, incident.id)],
        generated_at=now().isoformat(),
    )
    return with_postmortem(report)


def with_postmortem(report: IncidentReport) -> IncidentReport:
    """The report with its post-mortem draft written from what it says now."""
    report.postmortem = None
    report.postmortem = Postmortem(**postmortem.draft(report.dump()))
    return report
