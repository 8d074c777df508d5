"""Report's own record of each incident (`report_incidents`, `report_alerts`), kept from the events it consumes:
`incident.reported` opens it, `incident.updated` brings alerts that joined or changed, `incident.correlated`,
publication and `incident.resolved` move its status forward. Report reads nothing of triage's tables."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.orm import Session

from functions._platform.db.models import STATUS_ORDER
from functions._platform.db.report_incidents import ReportAlert, ReportIncident, WaitingCorrelation
from functions._platform.db.upsert import insert_many, stamp_once, upsert
from sreo_events.models import IncidentAlert, IncidentCorrelated, IncidentReported, IncidentUpdated

MILESTONES = {"correlated": "correlated_at", "reported": "reported_at", "resolved": "resolved_at"}
DESCRIBED = ("title", "description", "service", "namespace", "severity", "source", "domains", "classification",
             "alertnames", "runbooks", "window_end", "created_at")


def _newer(model: Any, proposed: Any, column: str) -> Any:
    """A repeat's count only grows: the row with the higher count is the newer word on the alert."""
    return case((proposed.count >= model.count, getattr(proposed, column)), else_=getattr(model, column))


NEWEST_WINS = {column: (lambda model, proposed, column=column: _newer(model, proposed, column))
               for column in ("status", "labels", "annotations", "starts_at", "alertname", "count")}


def record_alerts(session: Session, incident_id: str, alerts: Iterable[IncidentAlert]) -> None:
    """Upsert the alerts as triage says they are now; a redelivered or late (lower count) word changes nothing."""
    rows = [{"incident_id": incident_id, "fingerprint": a.fingerprint, "alertname": a.alertname, "status": a.status,
             "count": a.count, "labels": a.labels, "annotations": a.annotations, "starts_at": a.starts_at}
            for a in alerts]
    insert_many(session, ReportAlert, rows, ["incident_id", "fingerprint"], NEWEST_WINS)


def _earliest_start(session: Session, incident_id: str, *starts: datetime) -> None:
    """An incident starts at its earliest alert's start, also when that alert joined later (as triage says)."""
    row = session.get(ReportIncident, incident_id)
    if row is None:
        return
    first_alert = session.scalar(select(func.min(ReportAlert.starts_at))
                                 .where(ReportAlert.incident_id == incident_id))
    row.started_at = min(moment for moment in (row.started_at, first_alert, *starts) if moment is not None)


def record_reported(session: Session, reported: IncidentReported, at: datetime) -> None:
    """Open (or, for a store upgraded with a back-filled copy, describe again) the incident as triage announced it."""
    values = {
        "id": reported.incident_id, "title": reported.title[:300], "description": reported.description,
        "service": reported.service, "namespace": reported.namespace, "severity": reported.severity,
        "status": "open", "source": reported.source, "domains": list(reported.domains),
        "classification": reported.classification, "alertnames": list(reported.alertnames),
        "runbooks": [ref.model_dump(mode="json") for ref in reported.runbooks],
        "started_at": reported.started_at, "window_start": reported.window.start, "window_end": reported.window.end,
        "created_at": reported.accepted_at or at,
    }
    upsert(session, ReportIncident, values, ["id"], update=list(DESCRIBED))
    record_alerts(session, reported.incident_id, reported.alerts)
    _earliest_start(session, reported.incident_id, reported.started_at)
    _widen(session, reported.incident_id, reported.window.start)


def record_updated(session: Session, updated: IncidentUpdated) -> None:
    """Alerts that joined or changed; they may arrive before `incident.reported` does, and then wait for it."""
    record_alerts(session, updated.incident_id, updated.alerts)
    _earliest_start(session, updated.incident_id, updated.started_at)
    _widen(session, updated.incident_id, updated.window.start)


def _widen(session: Session, incident_id: str, start: datetime) -> None:
    row = session.get(ReportIncident, incident_id)
    if row is not None and start < row.window_start:
        row.window_start = start


def advance(session: Session, incident_id: str, status: str, at: datetime) -> bool:
    """Move report's copy to `status` unless it is there or further on; stamp the step's time once. True when
    this call stamped it."""
    behind = STATUS_ORDER[:STATUS_ORDER.index(status)]
    session.flush()
    session.connection().execute(update(ReportIncident).where(ReportIncident.id == incident_id,
                                                              ReportIncident.status.in_(behind))
                                 .values(status=status))
    return stamp_once(session, ReportIncident, incident_id, MILESTONES[status], at)


def alerts_of(session: Session, incident_id: str) -> list[ReportAlert]:
    return list(session.scalars(select(ReportAlert).filter_by(incident_id=incident_id).order_by(ReportAlert.id)))


def known(session: Session, incident_id: str) -> bool:
    return session.get(ReportIncident, incident_id) is not None


def wait(session: Session, correlated: IncidentCorrelated, event_id: str, correlated_at: datetime | None) -> None:
    """Keep a correlation that came before `incident.reported` opened the record; the fuller of two stays."""
    values = {"incident_id": correlated.incident_id, "event_id": event_id, "correlated_at": correlated_at,
              "body": correlated.model_dump(mode="json"), "answered": len(correlated.answered)}
    fuller = {column: (lambda model, proposed, column=column: case(
        (proposed.answered >= model.answered, getattr(proposed, column)), else_=getattr(model, column)))
        for column in ("event_id", "correlated_at", "body", "answered")}
    insert_many(session, WaitingCorrelation, [values], ["incident_id"], fuller)


def waiting(session: Session, incident_id: str) -> tuple[IncidentCorrelated, str, datetime | None] | None:
    """The correlation waiting for this incident's record: (payload, its event id, when correlate made it)."""
    row = session.get(WaitingCorrelation, incident_id)
    if row is None:
        return None
    return IncidentCorrelated.model_validate(row.body), row.event_id, row.correlated_at


def stop_waiting(session: Session, incident_id: str, event_id: str | None = None) -> bool:
    """Drop the waiting correlation (only the one of `event_id`, when given); True for the one caller that did,
    so of two deliveries racing to publish it exactly one does."""
    statement = delete(WaitingCorrelation).where(WaitingCorrelation.incident_id == incident_id)
    if event_id is not None:
        statement = statement.where(WaitingCorrelation.event_id == event_id)
    return bool(session.execute(statement).rowcount)
