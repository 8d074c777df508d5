"""Report: open the record, publish the correlated diagnosis idempotently, answer queries."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from cloudevents.http import CloudEvent
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from functions._platform.config import Settings
from functions._platform.db.approvals import ActionApproval
from functions._platform.db.engine import Database
from functions._platform.db.models import (
    AlertRecord,
    EvidenceRecord,
    Incident,
    Report,
    TimelineEntry,
)
from functions._platform.db.status import advance
from functions._platform.db.timeline import add_entry
from functions._platform.db.upsert import upsert
from functions._platform.faults import crash_point
from functions._platform.telemetry import REPORT_LATENCY
from functions.report import postmortem, sections
from functions.report.actions import suggest
from functions.report.render import markdown
from sreo_events import types
from sreo_events.envelope import derived_id, make_event
from sreo_events.models import IncidentCorrelated, IncidentResolved, PublishedCause, ReportPublished

SOURCE = "/sreo/report"


def now() -> datetime:
    return datetime.now(UTC)


def incident_summary(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id, "title": incident.title, "status": incident.status, "severity": incident.severity,
        "service": incident.service, "namespace": incident.namespace, "source": incident.source,
        "domains": incident.domains, "started_at": incident.started_at.isoformat(),
        "created_at": incident.created_at.isoformat(),
        "correlated_at": incident.correlated_at.isoformat() if incident.correlated_at else None,
        "reported_at": incident.reported_at.isoformat() if incident.reported_at else None,
        "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
        "links": {"self": f"/incidents/{incident.id}", "report": f"/incidents/{incident.id}/report",
                  "report_html": f"/incidents/{incident.id}/report?format=html",
                  "postmortem": f"/incidents/{incident.id}/report?format=postmortem"},
    }


def _impact(incident: Incident, correlated: IncidentCorrelated | None) -> str:
    who = incident.service or "an unnamed service"
    where = f" in namespace {incident.namespace}" if incident.namespace else ""
    text = f"{who}{where} is affected ({incident.severity}): {incident.title}."
    if correlated and correlated.causes:
        components = list(dict.fromkeys(c.component for c in correlated.causes[:3]))
        text += f" Components implicated: {', '.join(components)}."
    return text


def alert_summaries(session: Session, incident_id: str) -> list[dict[str, Any]]:
    return [{"alertname": a.alertname, "status": a.status, "count": a.count, "labels": a.labels,
             "annotations": a.annotations, "starts_at": a.starts_at.isoformat() if a.starts_at else None}
            for a in session.scalars(select(AlertRecord).filter_by(incident_id=incident_id).order_by(AlertRecord.id))]


def approval_records(session: Session, incident_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(ActionApproval).filter_by(incident_id=incident_id).order_by(ActionApproval.id))
    return [{"action_id": r.action_id, "action_title": r.action_title, "command": r.command, "approver": r.approver,
             "comment": r.comment, "client_address": r.client_address, "approved_at": r.approved_at.isoformat()}
            for r in rows]


def timeline_entries(session: Session, incident_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(TimelineEntry).filter_by(incident_id=incident_id)
                           .order_by(TimelineEntry.at, TimelineEntry.id))
    return [{"at": t.at.isoformat(), "actor": t.actor, "text": t.text} for t in rows]


def _settings() -> Settings | None:
    from functions._platform.runtime import get_runtime

    try:
        return get_runtime().settings
    except Exception:  # noqa: BLE001  (links are a nicety; a report never fails for want of them)
        return None


def build(session: Session, incident: Incident, correlated: IncidentCorrelated | None,
          settings: Settings | None = None) -> dict[str, Any]:
    alerts = alert_summaries(session, incident.id)
    ranked = correlated.causes if correlated else []
    for cause in ranked:
        if not cause.actions:
            cause.actions = suggest(cause.evidence, incident.namespace, cause.component)
    causes = [cause.model_dump(mode="json") for cause in ranked]
    evidence = {row.domain: row for row in session.scalars(select(EvidenceRecord).filter_by(incident_id=incident.id))}
    no_data = {domain: (row.payload.get("error") or "no data") for domain, row in evidence.items()
               if row.status == "no_data"}
    approvals = approval_records(session, incident.id)
    top = causes[0] if causes else None
    summary = (f"Most probable cause: {top['component']} ({top['kind']}, confidence {top['confidence']:.0%})."
               if top else "Investigation in progress." if correlated is None else "No probable cause found.")
    domains = {
        "expected": list(incident.domains),
        "answered": list(correlated.answered) if correlated else sorted(evidence),
        "failed": dict(correlated.failed) if correlated else {},
        "missing": list(correlated.missing) if correlated else [],
        "no_data": no_data,
    }
    finding_domains = sections.finding_domains({d: row.payload for d, row in evidence.items()})
    body = {
        **{k: v for k, v in incident_summary(incident).items() if k not in ("id",)},
        "incident_id": incident.id,
        "summary": summary,
        "impact": _impact(incident, correlated),
        "affected": sections.affected(incident.service, incident.namespace, incident.severity, alerts, causes),
        "top_cause": sections.top_cause(causes),
        "causes": causes,
        "evidence": sections.evidence_entries(causes, finding_domains, settings.prometheus_url if settings else None),
        "actions": sections.action_entries(causes, approvals),
        "runbooks": sections.runbook_entries(causes, incident.runbooks or [], incident.service, alerts),
        "healthy": list(correlated.healthy) if correlated else [],
        "unchecked": sections.unchecked(domains),
        "not_judged": list(correlated.unjudged) if correlated else [],
        "also_unhealthy": [c.model_dump(mode="json") for c in correlated.unconnected] if correlated else [],
        "dependency_graph": bool(correlated.graph) if correlated else None,
        "domains": domains,
        "complete": bool(correlated and correlated.complete),
        "alerts": alerts,
        "approvals": approvals,
        "timeline": timeline_entries(session, incident.id),
        "generated_at": now().isoformat(),
    }
    body["postmortem"] = postmortem.draft(body)
    return body


def add_narrative(db: Database, incident_id: str) -> None:
    """The optional LLM narrative of a stored report, asked for with no transaction open."""
    with db.session() as session:
        stored = session.get(Report, incident_id)
        body = stored.body if stored is not None else None
    text = narrate(body) if body else None
    if text:
        with db.session() as session:
            stored = session.get(Report, incident_id)
            stored.body = {**stored.body, "narrative": text}
            stored.markdown = markdown(stored.body)


def narrate(body: dict[str, Any]) -> str | None:
    """An optional LLM narrative of the report; it reads a copy, so it can never change the causes."""
    from functions._platform.llm import narrate as llm_narrate

    return llm_narrate(copy.deepcopy(body))


def refresh(session: Session, incident_id: str) -> None:
    """Bring a stored report's approvals, action states, timeline and post-mortem up to date."""
    row = session.get(Report, incident_id)
    if row is None:
        return
    body = dict(row.body)
    body["approvals"] = approval_records(session, incident_id)
    body["actions"] = sections.action_entries(body["causes"], body["approvals"])
    body["timeline"] = timeline_entries(session, incident_id)
    body["postmortem"] = postmortem.draft(body)
    row.body, row.markdown, row.updated_at = body, markdown(body), now()


def _store(session: Session, incident: Incident, body: dict[str, Any], event_id: str, replace: bool = True) -> None:
    """Insert the report, or (when `replace`) overwrite it: concurrent consumers never collide on the key."""
    at = now()
    values = {"incident_id": incident.id, "body": body, "markdown": markdown(body), "event_id": event_id,
              "created_at": at, "updated_at": at}
    upsert(session, Report, values, ["incident_id"],
           update=["body", "markdown", "event_id", "updated_at"] if replace else None)


def open_record(session: Session, incident_id: str, event_id: str) -> None:
    incident = session.get(Incident, incident_id)
    if incident is not None and session.get(Report, incident_id) is None:
        _store(session, incident, build(session, incident, None), event_id, replace=False)


def publish(session: Session, correlated: IncidentCorrelated, event_id: str) -> CloudEvent | None:
    incident = session.get(Incident, correlated.incident_id)
    if incident is None:
        return None
    stored = session.get(Report, incident.id)
    if stored is not None and len(stored.body["domains"]["answered"]) > len(correlated.answered):
        return None  # a fuller correlation was already published; this one arrived late
    settings = _settings()
    at = now()
    first = incident.reported_at is None
    advance(session, incident.id, "reported", at)
    if first:
        REPORT_LATENCY.observe((at - incident.created_at).total_seconds())
    add_entry(session, incident.id, f"report:{event_id}", "report",
              "Report published" + ("" if correlated.complete else " (partial)"), at)
    session.flush()
    body = build(session, incident, correlated, settings)
    _store(session, incident, body, event_id)
    crash_point("report")
    published = published_payload(incident, body)
    return make_event(types.REPORT_PUBLISHED, published, source=SOURCE, subject=incident.id,
                      correlationid=incident.id, causationid=event_id, event_id=derived_id(event_id, "published"))


def resolve(session: Session, resolved: IncidentResolved, event_id: str) -> CloudEvent | None:
    """Mark a stored report resolved (status, time, timeline) and announce it, so pages can be resolved too."""
    incident = session.get(Incident, resolved.incident_id)
    row = session.get(Report, resolved.incident_id)
    if incident is None or row is None or row.body.get("status") == "resolved":
        return None
    incident.status, incident.resolved_at = "resolved", incident.resolved_at or resolved.resolved_at
    body = {**row.body, "status": "resolved", "resolved_at": incident.resolved_at.isoformat()}
    row.body = body
    refresh(session, incident.id)
    published = published_payload(incident, row.body)
    return make_event(types.REPORT_PUBLISHED, published, source=SOURCE, subject=incident.id,
                      correlationid=incident.id, causationid=event_id, event_id=derived_id(event_id, "published"))


def published_payload(incident: Incident, body: dict[str, Any]) -> ReportPublished:
    """What notifiers need to page someone, without reading the store: the headline and the top causes."""
    causes = [PublishedCause(component=c["component"], kind=c["kind"], confidence=c["confidence"],
                             reason=c.get("reason", ""),
                             evidence=[e.get("summary", "") for e in c.get("evidence", [])[:3]],
                             actions=c.get("actions", [])[:5])
              for c in body["causes"][:3]]
    return ReportPublished(
        incident_id=incident.id, title=incident.title, url=f"/incidents/{incident.id}/report",
        top_cause=body["causes"][0]["component"] if body["causes"] else None,
        status="resolved" if incident.status == "resolved" else "reported",
        severity=incident.severity if incident.severity in ("info", "warning", "critical") else None,
        service=incident.service, namespace=incident.namespace, summary=body.get("summary", ""),
        causes=causes, resolved_at=incident.resolved_at)


def list_incidents(session: Session, limit: int, status: str | None, service: str | None = None,
                   since: datetime | None = None) -> tuple[int, list[dict[str, Any]]]:
    query = select(Incident)
    if status:
        query = query.where(Incident.status == status)
    if service:
        query = query.where(Incident.service == service)
    if since:
        query = query.where(Incident.started_at >= since)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Incident.created_at.desc()).limit(limit)).all()
    return total, [incident_summary(row) for row in rows]
