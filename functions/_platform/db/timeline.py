"""Timeline entries of an incident; the key makes a redelivered step write nothing twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from functions._platform.db.models import TimelineEntry


def add_entry(session: Session, incident_id: str, key: str, actor: str, text: str, at: datetime) -> None:
    if not session.scalar(select(TimelineEntry).filter_by(incident_id=incident_id, key=key)):
        session.add(TimelineEntry(incident_id=incident_id, key=key, at=at, actor=actor, text=text))
