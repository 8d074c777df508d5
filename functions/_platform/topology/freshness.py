"""Keep the twin fresh enough: rebuild from the configured sources when the last attempt is too old."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from functions._platform.config import Settings
from functions._platform.telemetry import log
from functions._platform.topology.builders.contract import TopologyInputs
from functions._platform.topology.models import TopologyBuild
from functions._platform.topology.store import refresh

STALE_AFTER = timedelta(minutes=5)
FRESH_FOR_TRIAGE = timedelta(seconds=30)  # a new incident gets a graph at most this old


def refresh_if_stale(session: Session, settings: Settings, max_age: timedelta = STALE_AFTER) -> None:
    newest = session.scalar(select(func.max(TopologyBuild.attempted_at)))
    if newest is not None and datetime.now(UTC) - newest < max_age:
        return
    try:
        refresh(session, TopologyInputs.from_settings(settings))
    except Exception as exc:  # noqa: BLE001 - a failed refresh keeps the last good graph
        log.warning("topology refresh failed", error=str(exc))
