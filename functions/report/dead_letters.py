"""The dead-letter sink: events the broker gave up on, parked for inspection and replay."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from functions._platform import outbox
from functions._platform.db.engine import Database
from functions._platform.db.models import DeadLetter
from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Param, Route, int_param
from functions._platform.runtime import Runtime
from functions._platform.telemetry import DEAD_LETTERS
from sreo_events.envelope import InvalidEvent, decode


def park(db: Database, trigger: str, subscriber: str, event: dict[str, Any], error: str, attempts: int) -> None:
    with db.session() as session:
        session.add(DeadLetter(
            trigger=trigger, subscriber=subscriber, event_type=event.get("type", "?"),
            event_source=event.get("source", "?"), event_id=event.get("id", "?"), event=event,
            error=error[:4000], attempts=attempts, created_at=datetime.now(UTC)))
    DEAD_LETTERS.labels(trigger).inc()


def check_broker(request: HttpRequest, token: str | None) -> None:
    """Only the broker may park events: its token as a bearer header, or (for a Knative Trigger, whose
    deadLetterSink can carry a URI but no header) as the `token` query parameter."""
    if not token:
        raise ApiError(401, "unauthorized", "the dead-letter sink is closed: no SREO_BROKER_TOKEN is configured")
    scheme, _, presented = (request.header("authorization") or "").partition(" ")
    presented = presented.strip() if scheme.lower() == "bearer" else request.query.get("token", "")
    if not presented or not hmac.compare_digest(presented.encode(), token.encode()):
        raise ApiError(401, "unauthorized", "the dead-letter sink accepts only the broker's token")


def receive(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    """Knative delivers the original event with `knativeerror*` extensions; anything else is refused, so the sink
    parks only what a broker gave up on, and only from the broker."""
    check_broker(request, runtime.settings.broker_token)
    if len(request.body) > runtime.settings.max_body_bytes:
        raise ApiError(413, "payload_too_large", "CloudEvent body is over the size limit")
    try:
        event = decode(request.headers, request.body)
    except InvalidEvent as exc:
        raise ApiError(400, "invalid_cloudevent", str(exc)) from exc
    attributes = event.get_attributes()
    if not attributes.get("knativeerrordest"):
        raise ApiError(400, "not_a_dead_letter",
                       "a dead-lettered event carries the knativeerrordest extension set by the broker")
    data = event.data if not isinstance(event.data, bytes) else event.data.decode(errors="replace")
    error = f"HTTP {attributes.get('knativeerrorcode', '?')} from {attributes.get('knativeerrordest', '?')}: " \
            f"{attributes.get('knativeerrordata', '')}"
    park(runtime.db, attributes.get("knativeerrortrigger", "broker"), attributes.get("knativeerrordest", "?"),
         {**attributes, "data": data}, error, int(attributes.get("knativeattempts", 0) or 0))
    return HttpResponse(202, {"parked": True})


def listing(runtime: Runtime, limit: int = 100) -> list[dict[str, Any]]:
    with runtime.db.session() as session:
        rows = session.scalars(select(DeadLetter).order_by(DeadLetter.id.desc()).limit(limit)).all()
        return [{"id": r.id, "trigger": r.trigger, "subscriber": r.subscriber, "type": r.event_type,
                 "source": r.event_source, "event_id": r.event_id, "error": r.error, "attempts": r.attempts,
                 "created_at": r.created_at.isoformat(), "event": r.event} for r in rows]


def list_pending(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    with runtime.db.session() as session:
        total, items = outbox.pending(session, int_param(request, "limit", 100, 1, 1000))
    return HttpResponse(200, {"total": total, "items": items})


def list_dead_letters(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    return HttpResponse(200, {"items": listing(runtime, int_param(request, "limit", 100, 1, 1000))})


ROUTES = [
    Route("POST", "/dead-letters", receive, "Dead-letter sink for the broker (CloudEvents; the broker's token).",
          auth="broker", cloudevent_body=True, responses={202: "Parked."}),
    Route("GET", "/events/dead-letters", list_dead_letters, "Events the broker gave up on, newest first.",
          params=(Param("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}),)),
    Route("GET", "/events/pending", list_pending, "Events in the outbox not yet delivered, oldest first.",
          params=(Param("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}),)),
]
