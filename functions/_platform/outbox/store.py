"""Outbox rows: staged in the caller's transaction, claimed by a relay, deleted only once delivered."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from cloudevents.http import CloudEvent
from sqlalchemy import JSON, Integer, String, Text, delete, event, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from functions._platform.db.models import Base, ProcessedEvent
from functions._platform.db.upsert import upsert


class OutboxEvent(Base):
    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(200), index=True)
    event_source: Mapped[str] = mapped_column(String(300))
    event_type: Mapped[str] = mapped_column(String(200))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON)
    data: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime]
    due_at: Mapped[datetime] = mapped_column(index=True)  # next attempt, or the end of a relay's claim
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


# The delivery being consumed on this thread (consumer, source, id): staging marks it processed in the same
# transaction, so a crash can never leave the effects committed and the delivery unmarked (or the reverse).
current_delivery: contextvars.ContextVar[tuple[str, str, str] | None] = contextvars.ContextVar(
    "current_delivery", default=None)

_wakers: list[Callable[[], None]] = []
_wakers_lock = threading.Lock()


def on_commit(waker: Callable[[], None]) -> Callable[[], None]:
    """Call `waker` after every commit that staged events; returns the function that unregisters it."""
    with _wakers_lock:
        _wakers.append(waker)

    def remove() -> None:
        with _wakers_lock:
            if waker in _wakers:
                _wakers.remove(waker)
    return remove


def _wake(_session: Session) -> None:
    with _wakers_lock:
        wakers = list(_wakers)
    for waker in wakers:
        waker()


def now() -> datetime:
    return datetime.now(UTC)


def _data(event_data: Any) -> Any:
    if isinstance(event_data, bytes):
        return {"_bytes": event_data.decode(errors="replace")}
    return event_data


def stage(session: Session, events: Iterable[CloudEvent]) -> int:
    """Store `events` in the caller's transaction; they are delivered after it commits."""
    at = now()
    count = 0
    for item in events:
        attributes = item.get_attributes()
        session.add(OutboxEvent(event_id=attributes["id"], event_source=attributes["source"],
                                event_type=attributes["type"], attributes=dict(attributes),
                                data=_data(item.data), created_at=at, due_at=at, attempts=0))
        count += 1
    delivery = current_delivery.get()
    if delivery is not None:
        mark_processed(session, *delivery)
    if count and not event.contains(session, "after_commit", _wake):
        event.listen(session, "after_commit", _wake, once=True)
    return count


def mark_processed(session: Session, consumer: str, source: str, event_id: str) -> None:
    upsert(session, ProcessedEvent, {"consumer": consumer, "source": source, "event_id": event_id,
                                     "processed_at": now()}, ["consumer", "source", "event_id"])


def to_event(row: OutboxEvent) -> CloudEvent:
    data = row.data
    if isinstance(data, dict) and set(data) == {"_bytes"}:
        data = data["_bytes"].encode()
    return CloudEvent(dict(row.attributes), data)


def claim(session: Session, limit: int, lease: timedelta, skip: set[int]) -> list[OutboxEvent]:
    """Due rows, each claimed by compare-and-set on `attempts` so that two relays never hold the same row."""
    at = now()
    query = select(OutboxEvent).where(OutboxEvent.due_at <= at).order_by(OutboxEvent.id).limit(limit + len(skip))
    claimed = []
    for row in session.scalars(query).all():
        if row.id in skip or len(claimed) >= limit:
            continue
        won = session.connection().execute(update(OutboxEvent).where(
            OutboxEvent.id == row.id, OutboxEvent.attempts == row.attempts, OutboxEvent.due_at <= at)
                              .values(due_at=at + lease, attempts=OutboxEvent.attempts + 1)).rowcount
        if won:
            claimed.append(row)
    return claimed


def renew(session: Session, row_ids: set[int], lease: timedelta) -> None:
    """Extend the lease on rows still being delivered, so a short lease never expires under a slow handler."""
    if row_ids:
        session.execute(update(OutboxEvent).where(OutboxEvent.id.in_(sorted(row_ids))).values(due_at=now() + lease))


def acknowledge(session: Session, row_id: int) -> None:
    session.execute(delete(OutboxEvent).where(OutboxEvent.id == row_id))


def retry_later(session: Session, row_id: int, attempts: int, error: str) -> None:
    delay = min(2.0 ** max(attempts - 1, 0), 60.0)
    session.execute(update(OutboxEvent).where(OutboxEvent.id == row_id)
                    .values(due_at=now() + timedelta(seconds=delay), last_error=error[:2000]))


def pending(session: Session, limit: int = 100) -> tuple[int, list[dict[str, Any]]]:
    """How many events wait for delivery, and the oldest `limit` of them."""
    total = session.scalar(select(func.count()).select_from(OutboxEvent)) or 0
    rows = session.scalars(select(OutboxEvent).order_by(OutboxEvent.id).limit(limit)).all()
    return total, [{"id": r.id, "type": r.event_type, "source": r.event_source, "event_id": r.event_id,
                    "incident_id": r.attributes.get("correlationid"), "created_at": r.created_at.isoformat(),
                    "due_at": r.due_at.isoformat(), "attempts": r.attempts, "last_error": r.last_error}
                   for r in rows]


def is_pending(session: Session, event_ids: list[str]) -> set[str]:
    if not event_ids:
        return set()
    return set(session.scalars(select(OutboxEvent.event_id).where(OutboxEvent.event_id.in_(event_ids))).all())
