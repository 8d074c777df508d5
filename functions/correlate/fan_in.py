"""Fan-in: what `incident.reported` said to expect and each domain's answer, in correlate's own tables;
correlate once every expected domain answered or the deadline passed, whichever event arrives last."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cloudevents.http import CloudEvent
from sqlalchemy import select
from sqlalchemy.orm import Session

from functions._platform.db.fan_ins import FanIn
from functions._platform.db.models import EvidenceRecord, Investigation
from functions._platform.db.status import advance
from functions._platform.db.timeline import add_entry
from functions._platform.db.upsert import stamp_once, upsert
from functions._platform.outbox.milestone import reach
from functions._platform.outbox.store import is_pending
from functions.correlate import twin
from functions.correlate.causes import diagnose
from functions.correlate.connected import connected_first
from sreo_events import types
from sreo_events.envelope import derived_id, make_event
from sreo_events.models import DomainAnswer, EvidenceCollected, IncidentCorrelated, IncidentReported

SOURCE = "/sreo/correlate"
REPUBLISH_AFTER = timedelta(seconds=30)


def now() -> datetime:
    return datetime.now(UTC)


def record_expected(session: Session, reported: IncidentReported) -> None:
    at = now()
    upsert(session, FanIn, {"incident_id": reported.incident_id, "service": reported.service,
                            "domains": list(reported.domains), "started_at": reported.started_at,
                            "deadline_at": reported.deadline, "expected_at": at},
           ["incident_id"])
    for domain in reported.domains:
        upsert(session, Investigation, {"incident_id": reported.incident_id, "domain": domain,
                                        "status": "requested", "requested_at": at}, ["incident_id", "domain"])


def record_published(session: Session, incident_id: str) -> None:
    """Report says the report is out: the sweep stops offering this correlation again (stamped once)."""
    stamp_once(session, FanIn, incident_id, "reported_at", now())


def record_evidence(session: Session, evidence: EvidenceCollected, event_id: str) -> None:
    """Upsert one domain's answer; it may arrive before `incident.reported` does, and then waits for it."""
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


def _stamped(answer: EvidenceCollected) -> EvidenceCollected:
    """Each finding carries the domain that reported it, so the report can say so without the evidence rows."""
    for finding in answer.findings:
        finding.domain = finding.domain or answer.domain
    return answer


def _correlated_event(session: Session, fan_in: FanIn) -> tuple[CloudEvent, IncidentCorrelated]:
    incident_id = fan_in.incident_id
    answers = {row.domain: _stamped(EvidenceCollected.model_validate(row.payload))
               for row in session.scalars(select(EvidenceRecord).filter_by(incident_id=incident_id))}
    missing = [domain for domain in fan_in.domains if domain not in answers]
    placed, edges = twin.place(session, list(answers.values()))
    diagnosis = diagnose(placed, edges, affected=twin.node_of(session, fan_in.service),
                         symptom_onset=fan_in.started_at)
    causes = connected_first(diagnosis.causes, fan_in.service, edges)
    result = IncidentCorrelated(
        incident_id=incident_id, causes=causes, answered=sorted(answers), missing=missing,
        failed={d: (a.error or "error") for d, a in sorted(answers.items()) if a.status == "error"},
        healthy=[item for a in answers.values() for item in a.checked][:100],
        unjudged=[item for a in answers.values() for item in a.unjudged][:100],
        unconnected=diagnosis.unconnected, graph=diagnosis.graph,
        complete=not missing,
        evidence=[DomainAnswer(domain=domain, status=answer.status, findings=len(answer.findings), error=answer.error)
                  for domain, answer in sorted(answers.items())],
    )
    event = make_event(types.INCIDENT_CORRELATED, result, source=SOURCE, subject=incident_id,
                       correlationid=incident_id, event_id=derived_id(incident_id, "correlated"))
    return event, result


def correlate(session: Session, incident_id: str, final: bool = False) -> list[CloudEvent]:
    """The correlated event, staged, when the incident is ready (every expected domain answered, or `final`) and
    this call is the one that closes its fan-in; else []: it is emitted once per incident."""
    fan_in = session.get(FanIn, incident_id)
    if fan_in is None or fan_in.correlated_at is not None:
        return []  # not announced to correlate yet (its evidence waits), or already correlated
    answered = set(session.scalars(select(EvidenceRecord.domain).filter_by(incident_id=incident_id)).all())
    if not final and any(domain not in answered for domain in fan_in.domains):
        return []
    event, result = _correlated_event(session, fan_in)
    at = now()
    if not reach(session, FanIn, incident_id, "correlated_at", at, lambda: [event]):
        return []  # another delivery correlated it first
    advance(session, incident_id, "correlated", at)
    causes, missing = result.causes, result.missing
    top = f"top cause {causes[0].component} ({causes[0].kind})" if causes else "no cause found"
    waited = f"; missing {', '.join(missing)}" if missing else ""
    add_entry(session, incident_id, "correlated", "correlate",
              f"Correlated {len(result.answered)}/{len(fan_in.domains)} domains: {top}{waited}", at)
    return [event]


def republish(session: Session, incident_id: str) -> CloudEvent | None:
    """Correlated long ago and still unreported: the same event again, unless it still waits in the outbox."""
    fan_in = session.get(FanIn, incident_id)
    if fan_in is None or fan_in.reported_at is not None:
        return None
    event, _ = _correlated_event(session, fan_in)
    return None if is_pending(session, [event["id"]]) else event


def due_for_sweep(session: Session) -> tuple[list[str], list[str]]:
    """(past the deadline and uncorrelated, correlated a while ago but with no report), whatever the status says."""
    at = now()
    overdue = session.scalars(select(FanIn.incident_id).where(
        FanIn.correlated_at.is_(None), FanIn.deadline_at <= at)).all()
    unreported = session.scalars(select(FanIn.incident_id).where(
        FanIn.correlated_at <= at - REPUBLISH_AFTER, FanIn.reported_at.is_(None))).all()
    return list(overdue), list(unreported)
