"""The clock, window and snapshot builder the database analyzer tests share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.domains.database.analyzers.grading import database_context
from functions._platform.domains.database.analyzers.snapshot import DatabaseSnapshot
from sreo_events.models import TimeWindow

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
WINDOW = TimeWindow(start=NOW - timedelta(minutes=15), end=NOW)
CONTEXT = database_context(WINDOW)


def at(minutes_before_now: float) -> datetime:
    return NOW - timedelta(minutes=minutes_before_now)


def snapshot(**sections) -> DatabaseSnapshot:
    return DatabaseSnapshot(target="postgres/orders", database="orders", **sections)
