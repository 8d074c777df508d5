"""Incidents as toil hears of them: the events triage, the agents and report would send about each, at chosen
times, delivered to toil's consumer (toil reads no other function's table)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cloudevents.http import CloudEvent

from functions._platform.consumer import consume
from functions._platform.runtime import Runtime
from functions.toil.events import HANDLERS
from sreo_events import types
from sreo_events.envelope import make_event
from sreo_events.models import (
    EvidenceCollected,
    IncidentAlert,
    IncidentReported,
    IncidentResolved,
    PublishedCause,
    ReportPublished,
    TimeWindow,
)

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


def events(seed: Seed) -> list[CloudEvent]:
    """What toil hears about one incident, in the order the pipeline sends it."""
    incident_id = f"inc-seed-{next(_ids):05d}"
    at = seed.started_at
    reported_at = at + seed.reported_after if seed.reported_after is not None else None
    resolved_at = at + seed.resolved_after if seed.resolved_after is not None else None
    status = "resolved" if resolved_at is not None else "firing"
    window = TimeWindow(start=at - timedelta(minutes=15), end=at + timedelta(minutes=1))
    reported = IncidentReported(
        incident_id=incident_id, title=seed.alerts[0][0] if seed.alerts else "manual report",
        service=seed.service, namespace="shop", severity=seed.severity, started_at=at, window=window,
        domains=sorted(seed.domains), deadline=at + timedelta(minutes=1), source=seed.source, accepted_at=at,
        alerts=[IncidentAlert(fingerprint=fingerprint, alertname=alertname, status=status, count=count,
                              labels={"alertname": alertname})
                for alertname, fingerprint, count in seed.alerts])
    sent = [_event(types.INCIDENT_REPORTED, reported, "/sreo/triage", f"{incident_id}-reported", incident_id)]
    for domain, answer in seed.domains.items():
        if answer != "requested":
            evidence = EvidenceCollected(incident_id=incident_id, domain=domain, status=answer,
                                         error=seed.error if answer == "error" else None)
            sent.append(_event(types.EVIDENCE_COLLECTED, evidence, f"/sreo/agents/{domain}",
                               f"{incident_id}-{domain}", incident_id))
    if reported_at is not None:
        published = ReportPublished(
            incident_id=incident_id, title=reported.title, url=f"/incidents/{incident_id}/report",
            top_cause=seed.causes[0][0] if seed.causes else None, severity=seed.severity, service=seed.service,
            causes=[PublishedCause(component=c, kind=k, confidence=0.9) for c, k in seed.causes[:3]],
            reported_at=reported_at)
        sent.append(_event(types.REPORT_PUBLISHED, published, "/sreo/report", f"{incident_id}-published",
                           incident_id))
    if resolved_at is not None:
        sent.append(_event(types.INCIDENT_RESOLVED, IncidentResolved(incident_id=incident_id, resolved_at=resolved_at),
                           "/sreo/triage", f"{incident_id}-resolved", incident_id))
    return sent


def _event(event_type: str, data, source: str, event_id: str, incident_id: str) -> CloudEvent:
    return make_event(event_type, data, source=source, event_id=event_id, subject=incident_id,
                      correlationid=incident_id)


class RecordingEmitter:
    """What a runtime's relay delivers, kept for the test to look at (toil emits nothing)."""

    def __init__(self) -> None:
        self.events: list[CloudEvent] = []

    def emit(self, event: CloudEvent) -> None:
        self.events.append(event)


def deliver(runtime: Runtime, sent: list[CloudEvent]) -> None:
    for event in sent:
        consume("toil", event, HANDLERS, runtime)


def add(runtime: Runtime, seed: Seed) -> None:
    deliver(runtime, events(seed))
