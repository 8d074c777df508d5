"""Timeline entries of an incident; the key makes a redelivered step write nothing twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from functions._platform.db.models import TimelineEntry
from functions._platform.db.upsert import insert_many_unless_conflict


def entry(incident_id: str, key: str, actor: str, text: str, at: datetime) -> dict:
    return {"incident_id": incident_id, "key": key, "at": at, "actor": actor, "text": text}


def add_entries(session: Session, entries: list[dict]) -> None:
    """Several entries (made by `entry`) in one statement; an entry whose key is already there is skipped."""
    insert_many_unless_conflict(session, TimelineEntry, entries, ["incident_id", "key"])


def add_entry(session: Session, incident_id: str, key: str, actor: str, text: str, at: datetime) -> None:
    add_entries(session, [entry(incident_id, key, actor, text, at)])
