"""Toil's CloudEvent handlers: what other functions announce about incidents, kept as toil's own facts; and a
scheduled request in, the report computed from those facts and stored. Nothing is emitted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from cloudevents.http import CloudEvent
from pydantic import ValidationError

from functions._platform.consumer import Handler, PoisonEvent
from functions._platform.runtime import Runtime
from functions._platform.telemetry import log
from functions.toil import copies, store
from functions.toil.build import build_report
from functions.toil.capacity import with_capacity
from functions.toil.schema import ToilOptions
from sreo_events import types
from sreo_events.envelope import derived_id, made_at
from sreo_events.models import (
    EvidenceCollected,
    IncidentReported,
    IncidentResolved,
    IncidentUpdated,
    ReportPublished,
    ScheduledRequest,
)


def options_of(data: ScheduledRequest) -> ToilOptions:
    """Thresholds ride in the PingSource data next to `since`, e.g. `{"since": "7d", "timezone": "Europe/Paris"}`."""
    try:
        return ToilOptions.model_validate(data.model_extra or {})
    except ValidationError as exc:
        raise PoisonEvent(f"invalid toil options: {exc.errors()[:3]}") from exc


def on_toil_requested(runtime: Runtime, data: ScheduledRequest, event: CloudEvent) -> Iterable[CloudEvent]:
    options = options_of(data)
    with runtime.db.session() as session:
        try:
            report = build_report(session, data.since, options=options)
        except ValueError as exc:
            raise PoisonEvent(str(exc)) from exc
    report = with_capacity(report, runtime.settings)  # reads metrics: outside the store transaction
    with runtime.db.session() as session:
        store.save(session, report, derived_id(event["source"], event["id"], "toil"),
                   f"event:{event['source']}#{event['id']}")
    log.info("toil report stored", incidents=report.totals.incidents, suggestions=len(report.suggestions))
    return []


def _made_at(event: CloudEvent) -> datetime:
    """When the event was made; the moment of delivery when it carries no readable `time`."""
    return made_at(event) or datetime.now(UTC)


def on_incident_reported(runtime: Runtime, data: IncidentReported, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        copies.record_reported(session, data, _made_at(event))
    return []


def on_incident_updated(runtime: Runtime, data: IncidentUpdated, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        copies.record_updated(session, data)
    return []


def on_incident_resolved(runtime: Runtime, data: IncidentResolved, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        copies.record_resolved(session, data)
    return []


def on_report_published(runtime: Runtime, data: ReportPublished, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        copies.record_published(session, data, _made_at(event))
    return []


def on_evidence_collected(runtime: Runtime, data: EvidenceCollected, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        copies.record_evidence(session, data)
    return []


HANDLERS: dict[str, Handler] = {
    types.TOIL_REQUESTED: on_toil_requested,
    types.INCIDENT_REPORTED: on_incident_reported,
    types.INCIDENT_UPDATED: on_incident_updated,
    types.INCIDENT_RESOLVED: on_incident_resolved,
    types.REPORT_PUBLISHED: on_report_published,
    types.EVIDENCE_COLLECTED: on_evidence_collected,
}
EMITS: tuple[str, ...] = ()
