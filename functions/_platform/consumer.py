"""Idempotent CloudEvent consumption with Knative status semantics.

A duplicate (same consumer, source and id) is acknowledged and ignored. An event that can never be processed
raises `PoisonEvent`, a 400, which the broker sends to the dead-letter sink. Anything else propagates as a 5xx
and is retried. Outputs carry derived ids, so re-running after a crash re-emits the same events.

Outputs go to the outbox, never straight to the broker: a handler that stages them itself (`outbox.stage` in
the transaction of its state change) also marks the delivery processed there; whatever it returns is staged
with the processed mark in one transaction. The runtime's relay delivers them after the commit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from cloudevents.http import CloudEvent
from pydantic import BaseModel
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from functions._platform.db.models import ProcessedEvent
from functions._platform.outbox import store as outbox
from functions._platform.runtime import Runtime, get_runtime
from functions._platform.telemetry import EVENT_LATENCY, EVENTS_PROCESSED, log
from sreo_events.envelope import InvalidEvent, canonical_type, payload


class PoisonEvent(BadRequest):
    """HTTP 400: the event will never parse or validate."""


Handler = Callable[[Runtime, BaseModel, CloudEvent], Iterable[CloudEvent]]


def consume(consumer: str, event: CloudEvent, handlers: dict[str, Handler], runtime: Runtime | None = None) -> None:
    runtime = runtime or get_runtime()
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
    token = outbox.current_delivery.set((consumer, source, event_id))
    try:
        outputs = list(handler(runtime, data, event))
    except Exception:
        EVENTS_PROCESSED.labels(consumer, event_type, "error").inc()
        raise
    finally:
        outbox.current_delivery.reset(token)
    with runtime.db.session() as session:  # a concurrent redelivery may have finished first: same outputs
        outbox.stage(session, outputs)
        outbox.mark_processed(session, consumer, source, event_id)
    runtime.relay.notify()
    EVENT_LATENCY.labels(consumer).observe(time.monotonic() - started)
    EVENTS_PROCESSED.labels(consumer, event_type, "ok").inc()
