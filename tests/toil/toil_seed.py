"""Write incidents, their alerts, reports and agent answers straight into the store, at chosen times."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from functions._platform.db.models import AlertRecord, EvidenceRecord, Incident, Investigation, Report

_ids = itertools.count(1)


@dataclass
class Seed:
    started_at: datetime
    service: str | None = "checkout"
    severity: str = "warning"
    alerts: list[tuple[str, str, int]] = field(default_factory=list)  # (alertname, fingerprint, count)
    resolved_after: timedelta | None = None
    reported_after: timedelta | None = timedelta(seconds=40)
    causes: list[tuple[str, str]] = field(default_factory=list)
    domains: dict[str, str] = field(default_factory=dict)  # domain -> requested|success|no_data|error
    error: str = "connection refused"
    source: str = "alertmanager"


def add(session: Session, seed: Seed) -> str:
    incident_id = f"inc-seed-{next(_ids):05d}"
    at = seed.started_at
    reported_at = at + seed.reported_after if seed.reported_after is not None else None
    session.add(Incident(
        id=incident_id, title=seed.alerts[0][0] if seed.alerts else "manual report", description="",
        service=seed.service, namespace="shop", severity=seed.severity,
        status="reported" if reported_at else "open", source=seed.source, group_key=None,
        domains=sorted(seed.domains), classification={}, started_at=at, window_start=at - timedelta(minutes=15),
        window_end=at + timedelta(minutes=1), deadline_at=at + timedelta(minutes=1), created_at=at,
        fanned_out_at=at, correlated_at=reported_at, reported_at=reported_at,
        resolved_at=at + seed.resolved_after if seed.resolved_after is not None else None,
    ))
    session.flush()
    for alertname, fingerprint, count in seed.alerts:
        session.add(AlertRecord(
            incident_id=incident_id, fingerprint=fingerprint, alertname=alertname,
            status="resolved" if seed.resolved_after is not None else "firing", labels={"alertname": alertname},
            annotations={}, starts_at=at, received_at=at, count=count))
    for domain, status in seed.domains.items():
        answered = status != "requested"
        session.add(Investigation(incident_id=incident_id, domain=domain, status=status, requested_at=at,
                                  answered_at=at + timedelta(seconds=5) if answered else None))
        if answered:
            session.add(EvidenceRecord(
                incident_id=incident_id, domain=domain, status=status, event_id=f"{incident_id}-{domain}",
                payload={"error": seed.error} if status == "error" else {}, collected_at=at + timedelta(seconds=5)))
    if reported_at is not None:
        session.add(Report(
            incident_id=incident_id, event_id=f"{incident_id}-report", markdown="", created_at=at,
            updated_at=reported_at,
            body={"causes": [{"component": c, "kind": k, "score": 1.0} for c, k in seed.causes]}))
    session.flush()
    return incident_id
