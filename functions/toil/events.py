"""Toil's CloudEvent handler: a scheduled request in, the report computed and stored; nothing emitted."""

from __future__ import annotations

from collections.abc import Iterable

from cloudevents.http import CloudEvent
from pydantic import ValidationError

from functions._platform.consumer import Handler, PoisonEvent
from functions._platform.runtime import Runtime
from functions._platform.telemetry import log
from functions.toil import store
from functions.toil.build import build_report
from functions.toil.capacity import with_capacity
from functions.toil.schema import ToilOptions
from sreo_events import types
from sreo_events.envelope import derived_id
from sreo_events.models import ScheduledRequest


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


HANDLERS: dict[str, Handler] = {types.TOIL_REQUESTED: on_toil_requested}
EMITS: tuple[str, ...] = ()
