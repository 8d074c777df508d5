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


def _causes(body: dict) -> list[tuple[str, str]]:
    return [(str(c.get("component", "")), str(c.get("kind", ""))) for c in body.get("causes") or []
            if isinstance(c, dict) and c.get("component")]


def collect(session: Session, start: datetime, end: datetime) -> list[IncidentFact]:
    """Incidents created in [start, end), each with its alerts, ranked causes and per-domain answers."""
    in_period = (Incident.created_at >= start) & (Incident.created_at < end)
    facts = {
        row.id: IncidentFact(id=row.id, service=row.service, severity=row.severity, source=row.source,
                             started_at=row.started_at, created_at=row.created_at, reported_at=row.reported_at,
                             resolved_at=row.resolved_at)
        for row in session.scalars(select(Incident).where(in_period).order_by(Incident.created_at, Incident.id))
    }
    if not facts:
        return []
    for alert in session.scalars(select(AlertRecord).join(Incident).where(in_period).order_by(AlertRecord.id)):
        facts[alert.incident_id].alerts.append(
            AlertFact(alertname=alert.alertname, fingerprint=alert.fingerprint, status=alert.status,
                      count=alert.count))
    for incident_id, body in session.execute(select(Report.incident_id, Report.body).join(Incident).where(in_period)):
        if facts[incident_id].reported_at is not None:  # an opened record before correlation has no verdict yet
            facts[incident_id].causes = _causes(body or {})
    errors: dict[tuple[str, str], str | None] = defaultdict(lambda: None)
    query = select(EvidenceRecord.incident_id, EvidenceRecord.domain, EvidenceRecord.payload).join(Incident)
    for incident_id, domain, payload in session.execute(query.where(in_period, EvidenceRecord.status == "error")):
        errors[(incident_id, domain)] = str((payload or {}).get("error") or "error")[:300]
    query = select(Investigation).join(Incident).where(in_period).order_by(Investigation.domain)
    for row in session.scalars(query):
        facts[row.incident_id].domains.append(
            DomainFact(domain=row.domain, status=row.status, error=errors[(row.incident_id, row.domain)]))
    return list(facts.values())
