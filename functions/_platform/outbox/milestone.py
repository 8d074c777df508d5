"""Move a row past a milestone and stage the events that move causes, in one transaction, exactly once.

Every function announces its step the same way: a compare-and-set on the milestone's timestamp column (NULL ->
now); the caller that wins stages the events, any other caller (a redelivery, a concurrent sweep) stages none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from cloudevents.http import CloudEvent
from sqlalchemy.orm import Session

from functions._platform.db.upsert import stamp_once
from functions._platform.outbox.store import stage


def reach(session: Session, model: type, key: Any, milestone: str, at: Any,
          events: Callable[[], Iterable[CloudEvent]]) -> list[CloudEvent]:
    """Set `model.<milestone>` (NULL -> `at`) on the row `key` and stage `events()`; [] when another caller got
    there first."""
    if not stamp_once(session, model, key, milestone, at):
        return []
    produced = list(events())
    stage(session, produced)
    return produced
