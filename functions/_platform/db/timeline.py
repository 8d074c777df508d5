"""Timeline entries of an incident; the key makes a redelivered step write nothing twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from functions._platform.db.models import TimelineEntry
from functions._platform.db.upsert import upsert


def add_entry(session: Session, incident_id: str, key: str, actor: str, text: str, at: datetime) -> None:
    upsert(session, TimelineEntry, {"incident_id": incident_id, "key": key, "at": at, "actor": actor, "text": text},
           ["incident_id", "key"])
