"""Fan-in: keep evidence per incident in the store; correlate once every domain answered or the deadline passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cloudevents.http import CloudEvent
from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from functions._platform.db.models import EvidenceRecord, Incident, Investigation
from functions._platform.db.timeline import add_entry
from functions._platform.db.upsert import upsert
from functions._platform.outbox.store import is_pending
from functions.correlate import twin
from functions.correlate.causes import diagnose
from functions.correlate.connected import connected_first
from sreo_events import types
from sreo_events.envelope import derived_id, make_event
from sreo_events.models import EvidenceCollected, IncidentCorrelated, IncidentReported

SOURCE = "/sreo/correlate"
REPUBLISH_AFTER = timedelta(seconds=30)


def now() -> datetime:
    return datetime.now(UTC)


def record_expected(session: Session, reported: IncidentReported) -> None:
    at = now()
    for domain in reported.domains:
        upsert(session, Investigation, {"incident_id": reported.incident_id, "domain": domain,
                                        "status": "requested", "requested_at": at}, ["incident_id", "domain"])


def record_evidence(session: Session, evidence: EvidenceCollected, event_id: str) -> bool:
    """Upsert one domain's answer; False when the incident is unknown here."""
    if session.get(Incident, evidence.incident_id) is None:
        return False
    at = now()
    upsert(session, EvidenceRecord, {
        "incident_id": evidence.incident_id, "domain": evidence.domain, "status": evidence.status,
        "payload": evidence.model_dump(mode="json"), "event_id": event_id, "collected_at": at,
    }, ["incident_id", "domain"], update=["status", "payload", "event_id", "collected_at"])
    upsert(session, Investigation, {"incident_id": evidence.incident_id, "domain": evidence.domain,
                                    "status": evidence.status, "requested_at": at, "answered_at": at},
           ["incident_id", "domain"], update=["status", "answered_at"])
    detail = f"{len(evidence.findings)} finding(s)" if evidence.status == "success" else (
        evidence.error or evidence.status)
    add_entry(session, evidence.incident_id, f"evidence:{evidence.domain}", "correlate",
              f"{evidence.domain} agent answered {evidence.status}: {detail}", at)
    return True


def _correlated_event(session: Session, incident: Incident) -> tuple[CloudEvent, IncidentCorrelated]:
    answers = {row.domain: EvidenceCollected.model_validate(row.payload)
               for row in session.scalars(select(EvidenceRecord).filter_by(incident_id=incident.id))}
    missing = [domain for domain in incident.domains if domain not in answers]
    placed, edges = twin.place(session, list(answers.values()))
    diagnosis = diagnose(placed, edges, affected=twin.node_of(session, incident.service))
    causes = connected_first(diagnosis.causes, incident.service, edges)
    result = IncidentCorrelated(
        incident_id=incident.id, causes=causes, answered=sorted(answers), missing=missing,
        failed={d: (a.error or "error") for d, a in sorted(answers.items()) if a.status == "error"},
        healthy=[item for a in answers.values() for item in a.checked][:100],
        unjudged=[item for a in answers.values() for item in a.unjudged][:100],
        unconnected=diagnosis.unconnected, graph=diagnosis.graph,
        complete=not missing,
    )
    event = make_event(types.INCIDENT_CORRELATED, result, source=SOURCE, subject=incident.id,
                       correlationid=incident.id, event_id=derived_id(incident.id, "correlated"))
    return event, result


def correlate(session: Session, incident_id: str, final: bool = False) -> CloudEvent | None:
    """The correlated event when the incident is ready (all answered, or `final`) and this call is the one that
    moves it from open to correlated (compare-and-set), else None: it is emitted once per incident."""
    incident = session.get(Incident, incident_id)
    if incident is None or incident.correlated_at is not None:
        return None
    answered = set(session.scalars(select(EvidenceRecord.domain).filter_by(incident_id=incident_id)).all())
    if not final and any(domain not in answered for domain in incident.domains):
        return None
    event, result = _correlated_event(session, incident)
    at = now()
    won = session.connection().execute(update(Incident).where(
        Incident.id == incident_id, Incident.correlated_at.is_(None), Incident.status.in_(("open", "resolved")),
    ).values(correlated_at=at, status=case((Incident.status == "open", "correlated"), else_=Incident.status))).rowcount
    if not won:
        return None  # another delivery correlated it first, or the incident already moved on
    causes, missing = result.causes, result.missing
    top = f"top cause {causes[0].component} ({causes[0].kind})" if causes else "no cause found"
    waited = f"; missing {', '.join(missing)}" if missing else ""
    add_entry(session, incident_id, "correlated", "correlate",
              f"Correlated {len(result.answered)}/{len(incident.domains)} domains: {top}{waited}", at)
    return event


def republish(session: Session, incident_id: str) -> CloudEvent | None:
    """Correlated long ago and still unreported: the same event again, unless it still waits in the outbox."""
    incident = session.get(Incident, incident_id)
    if incident is None or incident.reported_at is not None:
        return None
    event, _ = _correlated_event(session, incident)
    return None if is_pending(session, [event["id"]]) else event


def due_for_sweep(session: Session) -> tuple[list[str], list[str]]:
    """(past the deadline and uncorrelated, correlated a while ago but with no report), whatever the status says."""
    at = now()
    overdue = session.scalars(select(Incident.id).where(
        Incident.reported_at.is_(None), Incident.correlated_at.is_(None), Incident.deadline_at <= at)).all()
    unreported = session.scalars(select(Incident.id).where(
        Incident.correlated_at.is_not(None), Incident.reported_at.is_(None),
        Incident.correlated_at <= at - REPUBLISH_AFTER)).all()
    return list(overdue), list(unreported)
