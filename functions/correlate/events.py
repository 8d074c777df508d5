"""Correlate's CloudEvent handlers."""

from __future__ import annotations

from collections.abc import Iterable

from cloudevents.http import CloudEvent

from functions._platform.consumer import Handler
from functions._platform.faults import crash_point
from functions._platform.outbox import stage
from functions._platform.runtime import Runtime
from functions._platform.topology.freshness import refresh_if_stale
from functions.correlate import fan_in
from sreo_events import types
from sreo_events.models import EvidenceCollected, IncidentReported, ReportPublished, ScheduledRequest


def _correlate(runtime: Runtime, incident_id: str, final: bool = False) -> None:
    """The compare-and-set to correlated and the event it causes commit together, or neither does."""
    with runtime.db.session() as session:
        fan_in.correlate(session, incident_id, final=final)


def on_reported(runtime: Runtime, data: IncidentReported, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        fan_in.record_expected(session, data)
    _correlate(runtime, data.incident_id)
    return []


def on_evidence(runtime: Runtime, data: EvidenceCollected, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        fan_in.record_evidence(session, data, event["id"])
    crash_point("evidence")
    # a fresh transaction sees every answer committed so far, so the last answer always completes the set
    _correlate(runtime, data.incident_id)
    return []


def on_published(runtime: Runtime, data: ReportPublished, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        fan_in.record_published(session, data.incident_id)
    return []


def on_sweep(runtime: Runtime, data: ScheduledRequest, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        refresh_if_stale(session, runtime.settings)
    with runtime.db.session() as session:
        overdue, unreported = fan_in.due_for_sweep(session)
    for incident_id in overdue:
        _correlate(runtime, incident_id, final=True)
    for incident_id in unreported:
        with runtime.db.session() as session:
            again = fan_in.republish(session, incident_id)
            if again:
                stage(session, [again])
    return []


HANDLERS: dict[str, Handler] = {
    types.INCIDENT_REPORTED: on_reported,
    types.EVIDENCE_COLLECTED: on_evidence,
    types.SWEEP_REQUESTED: on_sweep,
    types.REPORT_PUBLISHED: on_published,
}
EMITS = (types.INCIDENT_CORRELATED,)
