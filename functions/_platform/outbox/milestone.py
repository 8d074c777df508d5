"""Move a row past a milestone and stage the events that move causes, in one transaction, exactly once.

Every function announces its step the same way: a compare-and-set on the milestone's timestamp column (NULL ->
now); the caller that wins stages the events, any other caller (a redelivery, a concurrent sweep) stages none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from cloudevents.http import CloudEvent
from sqlalchemy import update
from sqlalchemy.orm import Session

from functions._platform.outbox.store import stage


def reach(session: Session, model: type, key: Any, milestone: str, at: Any,
          events: Callable[[], Iterable[CloudEvent]], *, also: dict[str, Any] | None = None,
          where: Iterable[Any] = ()) -> list[CloudEvent]:
    """Set `model.<milestone>` (NULL -> `at`, with `also`) on the row `key` and stage `events()`; [] when
    another caller got there first, or when `where` does not hold."""
    session.flush()  # the update below bypasses the ORM: pending changes to the row must reach it first
    column = getattr(model, milestone)
    primary = model.__mapper__.primary_key[0]
    won = session.connection().execute(update(model).where(primary == key, column.is_(None), *where)
                                       .values({milestone: at, **(also or {})})).rowcount
    if not won:
        return []
    row = session.get(model, key)
    if row is not None:  # the identity map may hold the row as it was before the update
        session.refresh(row)
    produced = list(events())
    stage(session, produced)
    return produced
