"""Idempotent CloudEvent consumption with Knative status semantics.

A duplicate (same consumer, source and id) is acknowledged and ignored. An event that can never be processed
raises `PoisonEvent`, a 400, which the broker sends to the dead-letter sink. Anything else propagates as a 5xx
and is retried. Outputs carry derived ids, so re-running after a crash re-emits the same events.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from cloudevents.http import CloudEvent
from pydantic import BaseModel
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from events.envelope import InvalidEvent, canonical_type, payload
from functions._platform.db.models import ProcessedEvent
from functions._platform.db.upsert import upsert
from functions._platform.runtime import Runtime, get_runtime
from functions._platform.telemetry import EVENT_LATENCY, EVENTS_PROCESSED, log


class PoisonEvent(BadRequest):
    """HTTP 400: the event will never parse or validate."""


Handler = Callable[[Runtime, BaseModel, CloudEvent], Iterable[CloudEvent]]


def consume(consumer: str, event: CloudEvent, handlers: dict[str, Handler]) -> None:
    runtime = get_runtime()
    event_type, source, event_id = canonical_type(event), event["source"], event["id"]
    handler = handlers.get(event_type)
    if handler is None:
        EVENTS_PROCESSED.labels(consumer, event_type, "poison").inc()
        raise PoisonEvent(f"{consumer} does not handle {event_type}")
    with runtime.db.session() as session:
        if session.scalar(select(ProcessedEvent).filter_by(consumer=consumer, source=source, event_id=event_id)):
            EVENTS_PROCESSED.labels(consumer, event_type, "duplicate").inc()
            return
    try:
        data = payload(event)
    except InvalidEvent as exc:
        EVENTS_PROCESSED.labels(consumer, event_type, "poison").inc()
        log.warning("poison event", consumer=consumer, type=event_type, id=event_id, error=str(exc))
        raise PoisonEvent(str(exc)) from exc
    started = time.monotonic()
    try:
        for output in handler(runtime, data, event):
            runtime.emitter.emit(output)
    except Exception:
        EVENTS_PROCESSED.labels(consumer, event_type, "error").inc()
        raise
    with runtime.db.session() as session:  # a concurrent redelivery may have finished first: same outputs
        upsert(session, ProcessedEvent, {"consumer": consumer, "source": source, "event_id": event_id,
                                         "processed_at": datetime.now(UTC)},
               ["consumer", "source", "event_id"])
    EVENT_LATENCY.labels(consumer).observe(time.monotonic() - started)
    EVENTS_PROCESSED.labels(consumer, event_type, "ok").inc()
