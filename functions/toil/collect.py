"""Read what the toil report needs from toil's own tables into plain values (the core never touches a session)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from functions._platform.db.toil_copies import ToilAlert, ToilDomain, ToilIncident


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
    causes: list[tuple[str, str]] | None = None  # [(component, kind)] of the top cause, [] for none; None unreported
    domains: list[DomainFact] = field(default_factory=list)


INCIDENT_COLUMNS = (ToilIncident.id, ToilIncident.service, ToilIncident.severity, ToilIncident.source,
                    ToilIncident.started_at, ToilIncident.created_at, ToilIncident.reported_at,
                    ToilIncident.resolved_at)


def _causes(component: str | None, kind: str | None, reported: bool) -> list[tuple[str, str]] | None:
    """The report counts only an incident's top cause, and whether it had one; one not yet reported has no verdict."""
    if not reported:
        return None
    return [(component, kind or "")] if component else []


def collect(session: Session, start: datetime, end: datetime) -> list[IncidentFact]:
    """Incidents created in [start, end), each with its alerts (in the order `incident.reported` gave them, those
    that joined later after), its top cause and per-domain answers, from toil's own tables.

    Reads columns, not ORM objects: a week can hold thousands."""
    in_period = (ToilIncident.created_at >= start) & (ToilIncident.created_at < end)
    rows = session.execute(select(*INCIDENT_COLUMNS, ToilIncident.top_component, ToilIncident.top_kind)
                           .where(in_period).order_by(ToilIncident.created_at, ToilIncident.id))
    facts = {}
    for *described, component, kind in rows:
        fact = IncidentFact(*described)
        fact.causes = _causes(component, kind, fact.reported_at is not None)
        facts[fact.id] = fact
    if not facts:
        return []
    query = (select(ToilAlert.incident_id, ToilAlert.alertname, ToilAlert.fingerprint, ToilAlert.status,
                    ToilAlert.count).join(ToilIncident, ToilIncident.id == ToilAlert.incident_id).where(in_period)
             .order_by(ToilAlert.incident_id, ToilAlert.position.is_(None), ToilAlert.position,
                       ToilAlert.fingerprint))
    for incident_id, *alert in session.execute(query):
        facts[incident_id].alerts.append(AlertFact(*alert))
    query = (select(ToilDomain.incident_id, ToilDomain.domain, ToilDomain.status, ToilDomain.error)
             .join(ToilIncident, ToilIncident.id == ToilDomain.incident_id).where(in_period)
             .order_by(ToilDomain.incident_id, ToilDomain.domain))
    for incident_id, domain, status, error in session.execute(query):
        facts[incident_id].domains.append(DomainFact(domain=domain, status=status, error=error))
    return list(facts.values())
