"""The one writer of an incident's status: it only ever moves right along `STATUS_ORDER`, and each step's
timestamp is set once. Triage opens and resolves, correlate correlates, report reports; none of them assigns
`incidents.status` any other way (the layering test holds them to it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from functions._platform.db.models import STATUS_ORDER, Incident
from functions._platform.db.upsert import stamp_once

MILESTONES = {"correlated": "correlated_at", "reported": "reported_at", "resolved": "resolved_at"}


def advance(session: Session, incident_id: str, status: str, at: datetime) -> bool:
    """Move the incident to `status` unless it is already there or further on, and stamp the step's time once
    (whatever another writer did meanwhile). True when this call stamped it."""
    behind = STATUS_ORDER[:STATUS_ORDER.index(status)]
    session.flush()
    session.connection().execute(update(Incident).where(Incident.id == incident_id, Incident.status.in_(behind))
                                 .values(status=status))
    return stamp_once(session, Incident, incident_id, MILESTONES[status], at)
