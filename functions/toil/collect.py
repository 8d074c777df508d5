"""Read what the toil report needs from the incident store into plain values (the core never touches a session)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from functions._platform.db.models import AlertRecord, EvidenceRecord, Incident, Investigation, Report


@dataclass(frozen=True)
class AlertFact:
    alertname: str
    fingerprint: str
    status: str
    count: int


@dataclass(frozen=True)
class DomainFact:
    domain: str
    status: str  # requested (never answered) | success | no_data | error
    error: str | None = None


@dataclass
class IncidentFact:
    id: str
    service: str | None
    severity: str
    source: str
    started_at: datetime
    created_at: datetime
    reported_at: datetime | None
    resolved_at: datetime | None
    alerts: list[AlertFact] = field(default_factory=list)
    causes: list[tuple[str, str]] | None = None  # (component, kind) in rank order; None when never reported
    domains: list[DomainFact] = field(default_factory=list)


def _causes(causes: object) -> list[tuple[str, str]]:
    if not isinstance(causes, list):
        return []
    return [(str(c.get("component", "")), str(c.get("kind", ""))) for c in causes
            if isinstance(c, dict) and c.get("component")]


INCIDENT_COLUMNS = (Incident.id, Incident.service, Incident.severity, Incident.source, Incident.started_at,
                    Incident.created_at, Incident.reported_at, Incident.resolved_at)


def collect(session: Session, start: datetime, end: datetime) -> list[IncidentFact]:
    """Incidents created in [start, end), each with its alerts, ranked causes and per-domain answers.

    Reads columns, not ORM objects, and only the `causes` of each report body: a week can hold thousands."""
    in_period = (Incident.created_at >= start) & (Incident.created_at < end)
    rows = session.execute(select(*INCIDENT_COLUMNS).where(in_period).order_by(Incident.created_at, Incident.id))
    facts = {row.id: IncidentFact(*row) for row in rows}
    if not facts:
        return []
    query = select(AlertRecord.incident_id, AlertRecord.alertname, AlertRecord.fingerprint, AlertRecord.status,
                   AlertRecord.count).join(Incident).where(in_period).order_by(AlertRecord.id)
    for incident_id, *alert in session.execute(query):
        facts[incident_id].alerts.append(AlertFact(*alert))
    query = select(Report.incident_id, Report.body["causes"]).join(Incident).where(in_period)
    for incident_id, causes in session.execute(query):
        if facts[incident_id].reported_at is not None:  # an opened record before correlation has no verdict yet
            facts[incident_id].causes = _causes(causes)
    errors: dict[tuple[str, str], str | None] = defaultdict(lambda: None)
    query = select(EvidenceRecord.incident_id, EvidenceRecord.domain, EvidenceRecord.payload["error"]).join(Incident)
    for incident_id, domain, error in session.execute(query.where(in_period, EvidenceRecord.status == "error")):
        errors[(incident_id, domain)] = str(error or "error")[:300]
    query = (select(Investigation.incident_id, Investigation.domain, Investigation.status).join(Incident)
             .where(in_period).order_by(Investigation.incident_id, Investigation.domain))
    for incident_id, domain, status in session.execute(query):
        facts[incident_id].domains.append(DomainFact(domain=domain, status=status, error=errors[(incident_id, domain)]))
    return list(facts.values())
