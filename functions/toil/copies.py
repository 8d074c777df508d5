"""Toil's facts from the events it hears (`toil_incidents`, `toil_alerts`, `toil_domains`). Each write is one
INSERT ... ON CONFLICT whose update only moves a column one way, so a redelivery changes nothing and the events
of an incident may come in any order: times keep the earliest, an alert the word with the highest count, a
domain its first answer, the top cause the newest publication."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import case
from sqlalchemy.orm import Session

from functions._platform.db.toil_copies import ToilAlert, ToilDomain, ToilIncident
from functions._platform.db.upsert import insert_many, insert_unless_conflict
from sreo_events.models import (
    EvidenceCollected,
    IncidentAlert,
    IncidentReported,
    IncidentResolved,
    IncidentUpdated,
    ReportPublished,
)

Merge = Callable[[Any, Any], Any]  # (the table, the proposed row) -> the column's new value
REQUESTED = "requested"


def _earliest(column: str) -> Merge:
    def merge(model: Any, proposed: Any) -> Any:
        stored, offered = getattr(model, column), getattr(proposed, column)
        return case((stored.is_(None), offered), (offered.is_(None), stored), (offered < stored, offered),
                    else_=stored)
    return merge


def _stated(column: str) -> Merge:
    """What `incident.reported` says of the incident describes it; NULL (not said) keeps what is there."""
    return lambda model, proposed: case((getattr(proposed, column).is_(None), getattr(model, column)),
                                        else_=getattr(proposed, column))


def _newest(column: str) -> Merge:
    """The top cause of the newest publication: a fuller correlation, published later, replaces an earlier one."""
    def merge(model: Any, proposed: Any) -> Any:
        newer = (model.published_at.is_(None)) | (proposed.published_at > model.published_at)
        return case((proposed.published_at.is_(None), getattr(model, column)), (newer, getattr(proposed, column)),
                    else_=getattr(model, column))
    return merge


def _higher_count(column: str) -> Merge:
    return lambda model, proposed: case((proposed.count >= model.count, getattr(proposed, column)),
                                        else_=getattr(model, column))


DESCRIBED = {c: _stated(c) for c in ("service", "severity", "source")}
ALERT_MERGE = {**{c: _higher_count(c) for c in ("alertname", "status", "count")}, "position": _earliest("position")}
ANSWER_MERGE = {c: (lambda model, proposed, c=c: case((model.status == REQUESTED, getattr(proposed, c)),
                                                     else_=getattr(model, c))) for c in ("status", "error")}
VERDICT_MERGE = {"reported_at": _earliest("reported_at"),
                 **{c: _newest(c) for c in ("top_component", "top_kind", "published_at")}}


def _incident(session: Session, incident_id: str, merge: dict[str, Merge], **values: Any) -> None:
    insert_many(session, ToilIncident, [{"id": incident_id, **values}], ["id"], merge)


def _alerts(session: Session, incident_id: str, alerts: list[IncidentAlert], first: int | None) -> None:
    rows = [{"incident_id": incident_id, "fingerprint": a.fingerprint, "alertname": a.alertname, "status": a.status,
             "count": a.count, "position": None if first is None else first + index}
            for index, a in enumerate(alerts)]
    insert_many(session, ToilAlert, rows, ["incident_id", "fingerprint"], ALERT_MERGE)


def record_reported(session: Session, reported: IncidentReported, at: datetime) -> None:
    """`at`: when the event was made, for an event from before `accepted_at` existed."""
    created = reported.accepted_at or at
    _incident(session, reported.incident_id, {**DESCRIBED, "started_at": _earliest("started_at"),
                                              "created_at": _earliest("created_at")},
              service=reported.service, severity=reported.severity, source=reported.source,
              started_at=reported.started_at, created_at=created)
    _alerts(session, reported.incident_id, reported.alerts, 0)
    for domain in reported.domains:
        insert_unless_conflict(session, ToilDomain, {"incident_id": reported.incident_id, "domain": domain,
                                                     "status": REQUESTED, "error": None}, ["incident_id", "domain"])


def record_updated(session: Session, updated: IncidentUpdated) -> None:
    _incident(session, updated.incident_id, {"started_at": _earliest("started_at")}, started_at=updated.started_at)
    _alerts(session, updated.incident_id, updated.alerts, None)


def record_resolved(session: Session, resolved: IncidentResolved) -> None:
    _incident(session, resolved.incident_id, {"resolved_at": _earliest("resolved_at")},
              resolved_at=resolved.resolved_at)


def record_published(session: Session, published: ReportPublished, at: datetime) -> None:
    """`at`: the event's time, which orders publications. A publication from before `reported_at` existed
    was a diagnosis when it said `reported`; a resolution's may have been announced before any."""
    reported_at = published.reported_at or (at if published.status == "reported" else None)
    top = next((c for c in published.causes if c.component), None)
    _incident(session, published.incident_id, {**VERDICT_MERGE, "resolved_at": _earliest("resolved_at")},
              reported_at=reported_at, resolved_at=published.resolved_at,
              top_component=top.component if top else None, top_kind=top.kind if top else None,
              published_at=at if reported_at is not None else None)


def record_evidence(session: Session, evidence: EvidenceCollected) -> None:
    error = str(evidence.error or "error")[:300] if evidence.status == "error" else None
    insert_many(session, ToilDomain, [{"incident_id": evidence.incident_id, "domain": evidence.domain,
                                       "status": evidence.status, "error": error}],
                ["incident_id", "domain"], ANSWER_MERGE)
