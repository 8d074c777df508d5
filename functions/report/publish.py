"""Report: open the record, publish the correlated diagnosis idempotently, answer queries."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from cloudevents.http import CloudEvent
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from functions._platform.config import Settings
from functions._platform.db.engine import Database
from functions._platform.db.incident_view import summary
from functions._platform.db.models import Report
from functions._platform.db.report_incidents import ReportIncident
from functions._platform.db.status import advance
from functions._platform.db.timeline import add_entry
from functions._platform.db.upsert import upsert
from functions._platform.domains.code.findings import FIX_ACTION
from functions._platform.emit import DependencyDown
from functions._platform.faults import crash_point
from functions._platform.telemetry import REPORT_LATENCY
from functions.report import incidents, sections
from functions.report.compose import (
    approval_records,
    build,
    now,
    timeline_entries,
    with_postmortem,
)
from functions.report.model import ActionEntry, Approval, IncidentReport, TimelineItem
from functions.report.renderers import RENDERERS
from sreo_events import types
from sreo_events.envelope import derived_id, make_event
from sreo_events.models import (
    IncidentCorrelated,
    IncidentReported,
    IncidentResolved,
    PublishedCause,
    ReportPublished,
)

SOURCE = "/sreo/report"
MAX_FIXES = 20  # the most `ReportPublished.fixes` holds


class NotYetOpened(DependencyDown):
    """An event about an incident whose `incident.reported` has not reached report yet (5xx: redelivered)."""


def stored_report(row: Report) -> IncidentReport:
    return IncidentReport.model_validate(row.body)


def _save(row: Report, report: IncidentReport) -> None:
    row.body, row.markdown, row.updated_at = report.dump(), RENDERERS.render("markdown", report), now()


def add_narrative(db: Database, incident_id: str) -> None:
    """The optional LLM narrative of a stored report, asked for with no transaction open."""
    with db.session() as session:
        stored = session.get(Report, incident_id)
        body = stored.body if stored is not None else None
    text = narrate(body) if body else None
    if text:
        with db.session() as session:
            stored = session.get(Report, incident_id)
            report = stored_report(stored)
            report.narrative = text
            stored.body, stored.markdown = report.dump(), RENDERERS.render("markdown", report)


def narrate(body: dict[str, Any]) -> str | None:
    """An optional LLM narrative of the report; it reads a copy, so it can never change the causes."""
    from functions._platform.llm import narrate as llm_narrate

    return llm_narrate(copy.deepcopy(body))


def refresh(session: Session, incident_id: str) -> None:
    """Bring a stored report's approvals, action states, timeline and post-mortem up to date."""
    row = session.get(Report, incident_id)
    if row is None:
        return
    report = stored_report(row)
    approvals = approval_records(session, incident_id)
    report.approvals = [Approval(**a) for a in approvals]
    causes = [cause.model_dump(mode="json") for cause in report.causes]
    report.actions = [ActionEntry(**a) for a in sections.action_entries(causes, approvals)]
    report.timeline = [TimelineItem(**t) for t in timeline_entries(session, incident_id)]
    _save(row, with_postmortem(report))


def _store(session: Session, incident: ReportIncident, report: IncidentReport, event_id: str,
           replace: bool = True) -> None:
    """Insert the report, or (when `replace`) overwrite it: concurrent consumers never collide on the key."""
    at = now()
    values = {"incident_id": incident.id, "body": report.dump(), "markdown": RENDERERS.render("markdown", report),
              "event_id": event_id, "created_at": at, "updated_at": at}
    upsert(session, Report, values, ["incident_id"],
           update=["body", "markdown", "event_id", "updated_at"] if replace else None)


def open_record(session: Session, reported: IncidentReported, event_id: str) -> None:
    """Keep what `incident.reported` says in report's own record, and store the report in progress."""
    incidents.record_reported(session, reported, now())
    incident = session.get(ReportIncident, reported.incident_id)
    if incident is not None and session.get(Report, incident.id) is None:
        _store(session, incident, build(session, incident, None), event_id, replace=False)


def publish(session: Session, correlated: IncidentCorrelated, event_id: str,
            settings: Settings | None = None, correlated_at: datetime | None = None) -> CloudEvent | None:
    """Store the correlated report and return its `report.published` event; `settings` give the evidence links,
    `correlated_at` when correlate correlated it (the event's time)."""
    incident = session.get(ReportIncident, correlated.incident_id)
    if incident is None:  # its `incident.reported` is still on the way: published when the record opens
        incidents.wait(session, correlated, event_id, correlated_at)
        return None
    incidents.stop_waiting(session, incident.id)
    stored = session.get(Report, incident.id)
    if stored is not None and len(stored.body["domains"]["answered"]) > len(correlated.answered):
        return None  # a fuller correlation was already published; this one arrived late
    at = now()
    first = incident.reported_at is None
    incidents.advance(session, incident.id, "correlated", min(correlated_at or at, at))
    incidents.advance(session, incident.id, "reported", at)
    advance(session, incident.id, "reported", at)  # triage's incident too, through the one status writer
    if first:
        REPORT_LATENCY.observe((at - incident.created_at).total_seconds())
    add_entry(session, incident.id, f"report:{event_id}", "report",
              "Report published" + ("" if correlated.complete else " (partial)"), at)
    session.flush()
    report = build(session, incident, correlated, settings)
    _store(session, incident, report, event_id)
    crash_point("report")
    published = published_payload(incident, report)
    return make_event(types.REPORT_PUBLISHED, published, source=SOURCE, subject=incident.id,
                      correlationid=incident.id, causationid=event_id, event_id=derived_id(event_id, "published"))


def resolve(session: Session, resolved: IncidentResolved, event_id: str) -> CloudEvent | None:
    """Mark a stored report resolved (status, time, timeline) and announce it, so pages can be resolved too."""
    incident = session.get(ReportIncident, resolved.incident_id)
    if incident is None:  # its `incident.reported` is still on the way: the broker redelivers this one
        raise NotYetOpened(f"{resolved.incident_id} resolved before report heard it was reported")
    incidents.advance(session, incident.id, "resolved", resolved.resolved_at)
    row = session.get(Report, resolved.incident_id)
    if row is None or row.body.get("status") == "resolved":
        return None
    row.body = {**row.body, "status": "resolved", "resolved_at": incident.resolved_at.isoformat()}
    refresh(session, incident.id)
    published = published_payload(incident, stored_report(row))
    return make_event(types.REPORT_PUBLISHED, published, source=SOURCE, subject=incident.id,
                      correlationid=incident.id, causationid=event_id, event_id=derived_id(event_id, "published"))


def published_payload(incident: ReportIncident, report: IncidentReport) -> ReportPublished:
    """What notifiers need to page someone, without reading the store: the headline and the top causes."""
    causes = [PublishedCause(component=c.component, kind=c.kind, confidence=c.confidence, reason=c.reason,
                             evidence=[f.summary for f in c.evidence[:3]], actions=c.actions[:5])
              for c in report.causes[:3]]
    fixes = [a for c in report.causes for a in c.actions if a.id.startswith(FIX_ACTION)]
    return ReportPublished(
        incident_id=incident.id, title=incident.title, url=f"/incidents/{incident.id}/report",
        top_cause=report.causes[0].component if report.causes else None,
        status="resolved" if incident.status == "resolved" else "reported",
        severity=incident.severity if incident.severity in ("info", "warning", "critical") else None,
        service=incident.service, namespace=incident.namespace, summary=report.summary,
        causes=causes, fixes=fixes[:MAX_FIXES], resolved_at=incident.resolved_at,
        reported_at=incident.reported_at)


def list_incidents(session: Session, limit: int, status: str | None, service: str | None = None,
                   since: datetime | None = None) -> tuple[int, list[dict[str, Any]]]:
    query = select(ReportIncident)
    if status:
        query = query.where(ReportIncident.status == status)
    if service:
        query = query.where(ReportIncident.service == service)
    if since:
        query = query.where(ReportIncident.started_at >= since)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(ReportIncident.created_at.desc()).limit(limit)).all()
    return total, [summary(row) for row in rows]
