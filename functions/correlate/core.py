"""Fan-in: keep evidence per incident in the store; correlate once every domain answered or the deadline passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cloudevents.http import CloudEvent
from sqlalchemy import select
from sqlalchemy.orm import Session

from events import types
from events.envelope import derived_id, make_event
from events.models import EvidenceCollected, IncidentCorrelated, IncidentReported
from functions._platform.db.models import EvidenceRecord, Incident, Investigation
from functions._platform.db.timeline import add_entry
from functions._platform.db.upsert import upsert
from functions.correlate import twin
from functions.correlate.causes import diagnose
from functions.correlate.connected import connected_first

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


def correlate(session: Session, incident_id: str, final: bool = False) -> CloudEvent | None:
    """The correlated event when the incident is ready (all answered, or `final`), else None."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        return None
    answers = {row.domain: EvidenceCollected.model_validate(row.payload)
               for row in session.scalars(select(EvidenceRecord).filter_by(incident_id=incident_id))}
    expected = list(incident.domains)
    missing = [domain for domain in expected if domain not in answers]
    if missing and not final and incident.correlated_at is None:
        return None
    placed, edges = twin.place(session, list(answers.values()))
    diagnosis = diagnose(placed, edges, affected=twin.node_of(session, incident.service))
    causes = connected_first(diagnosis.causes, incident.service, edges)
    result = IncidentCorrelated(
        incident_id=incident_id, causes=causes, answered=sorted(answers), missing=missing,
        failed={d: (a.error or "error") for d, a in sorted(answers.items()) if a.status == "error"},
        healthy=[item for a in answers.values() for item in a.checked][:100],
        unjudged=[item for a in answers.values() for item in a.unjudged][:100],
        unconnected=diagnosis.unconnected, graph=diagnosis.graph,
        complete=not missing,
    )
    at = now()
    if incident.correlated_at is None:
        incident.correlated_at = at
        incident.status = "correlated"
    top = f"top cause {causes[0].component} ({causes[0].kind})" if causes else "no cause found"
    waited = f"; missing {', '.join(missing)}" if missing else ""
    add_entry(session, incident_id, f"correlated:{','.join(sorted(answers))}", "correlate",
              f"Correlated {len(answers)}/{len(expected)} domains: {top}{waited}", at)
    return make_event(
        types.INCIDENT_CORRELATED, result, source=SOURCE, subject=incident_id, correlationid=incident_id,
        event_id=derived_id(incident_id, "correlated", *sorted(answers)),
    )


def due_for_sweep(session: Session) -> list[str]:
    """Incidents past the deadline and uncorrelated, or correlated but never reported."""
    at = now()
    overdue = session.scalars(select(Incident.id).where(
        Incident.correlated_at.is_(None), Incident.deadline_at <= at)).all()
    unreported = session.scalars(select(Incident.id).where(
        Incident.correlated_at.is_not(None), Incident.reported_at.is_(None),
        Incident.correlated_at <= at - REPUBLISH_AFTER)).all()
    return [*overdue, *unreported]
