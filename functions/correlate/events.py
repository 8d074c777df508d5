"""Correlate's CloudEvent handlers."""

from __future__ import annotations

from collections.abc import Iterable

from cloudevents.http import CloudEvent

from events import types
from events.models import EvidenceCollected, IncidentReported, ScheduledRequest
from functions._platform.consumer import Handler
from functions._platform.emit import DependencyDown
from functions._platform.runtime import Runtime
from functions._platform.topology.freshness import refresh_if_stale
from functions.correlate import core


def on_reported(runtime: Runtime, data: IncidentReported, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        core.record_expected(session, data)
    with runtime.db.session() as session:
        ready = core.correlate(session, data.incident_id)
    return [ready] if ready else []


def on_evidence(runtime: Runtime, data: EvidenceCollected, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        known = core.record_evidence(session, data, event["id"])
    if not known:
        raise DependencyDown(f"incident {data.incident_id} is not stored yet; retry later")
    # a fresh transaction sees every answer committed so far, so the last answer always completes the set
    with runtime.db.session() as session:
        ready = core.correlate(session, data.incident_id)
    return [ready] if ready else []


def on_sweep(runtime: Runtime, data: ScheduledRequest, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        refresh_if_stale(session, runtime.settings)
    with runtime.db.session() as session:
        due = core.due_for_sweep(session)
    for incident_id in due:
        with runtime.db.session() as session:
            ready = core.correlate(session, incident_id, final=True)
        if ready:
            yield ready


HANDLERS: dict[str, Handler] = {
    types.INCIDENT_REPORTED: on_reported,
    types.EVIDENCE_COLLECTED: on_evidence,
    types.SWEEP_REQUESTED: on_sweep,
}
EMITS = (types.INCIDENT_CORRELATED,)
