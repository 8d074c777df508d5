"""Deliver a published report to every destination its route selects, at most once per destination and event.

Each destination that took the message is recorded (`processed_events`, consumer `notify/<destination>`), so a
redelivered event only goes to the destinations that have not had it yet. A busy destination (429, 5xx,
unreachable) is retried in-process with bounded backoff while its `Retry-After` is short; beyond that the event is
answered 5xx, and the broker's retries (then its dead-letter sink) keep it. A destination that refuses the message
for good (other 4xx) is logged and not retried: sending the same bytes again cannot change its answer."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from functions._platform.db.models import ProcessedEvent
from functions._platform.db.upsert import upsert
from functions._platform.emit import DependencyDown
from functions._platform.redact import redact, redact_secrets
from functions._platform.telemetry import log
from functions.notify.config import Routes
from functions.notify.notifiers.contract import Destination, Notification, Rejected, RetryLater
from functions.notify.registry import NOTIFIERS
from sreo_events.models import ReportPublished

if TYPE_CHECKING:
    import httpx

    from functions._platform.db.engine import Database

INLINE_ATTEMPTS = 3


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # had it already
    rejected: dict[str, str] = field(default_factory=dict)
    deferred: dict[str, str] = field(default_factory=dict)


def _redacted(report: ReportPublished, how: str) -> ReportPublished:
    scrub = redact if how == "all" else redact_secrets

    def walk(value):
        if isinstance(value, str):
            return scrub(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return ReportPublished.model_validate(walk(report.model_dump(mode="json")))


def notification_for(report: ReportPublished, event_id: str, destination: Destination,
                     public_url: str) -> Notification:
    clean = _redacted(report, destination.options.get("redact", "secrets"))
    link = f"{public_url.rstrip('/')}{report.url}?format=html" if public_url else f"{report.url}?format=html"
    return Notification(event_id=event_id, report=clean, report_url=link)


def send(client: httpx.Client, destination: Destination, notification: Notification, max_wait_s: float,
         sleep: Callable[[float], None]) -> None:
    """One destination, retried in-process while it is busy for at most `max_wait_s`; raises what stops it."""
    notifier = NOTIFIERS[destination.kind]
    for attempt in range(1, INLINE_ATTEMPTS + 1):
        try:
            notifier.send(client, destination, notification)
            return
        except RetryLater as exc:
            wait = exc.after_s if exc.after_s is not None else 0.5 * 2 ** (attempt - 1)
            if attempt == INLINE_ATTEMPTS or wait > max_wait_s:
                raise
            log.info("notification deferred", destination=destination.name, reason=str(exc), wait_s=wait)
            sleep(wait)


def _key(destination: Destination, source: str, event_id: str) -> dict[str, str]:
    return {"consumer": f"notify/{destination.name}", "source": source, "event_id": event_id}


def deliver(db: Database, routes: Routes, client: httpx.Client, report: ReportPublished, source: str,
            event_id: str, public_url: str = "", max_wait_s: float = 5.0,
            sleep: Callable[[float], None] = time.sleep) -> Outcome:
    outcome = Outcome()
    for destination in routes.select(report):
        key = _key(destination, source, event_id)
        with db.session() as session:
            if session.scalar(select(ProcessedEvent).filter_by(**key)):
                outcome.skipped.append(destination.name)
                continue
        notification = notification_for(report, event_id, destination, public_url)
        try:
            send(client, destination, notification, max_wait_s, sleep)
            outcome.sent.append(destination.name)
        except RetryLater as exc:
            outcome.deferred[destination.name] = str(exc)
            continue
        except Rejected as exc:
            outcome.rejected[destination.name] = str(exc)
            log.error("notification rejected", destination=destination.name, kind=destination.kind,
                      incident=report.incident_id, reason=str(exc))
        with db.session() as session:
            upsert(session, ProcessedEvent, {**key, "processed_at": datetime.now(UTC)},
                   ["consumer", "source", "event_id"])
    if outcome.deferred:
        raise DependencyDown("notify: retry later for " + ", ".join(f"{k} ({v})" for k, v in outcome.deferred.items()))
    return outcome
