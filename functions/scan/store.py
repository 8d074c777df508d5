"""Threat persistence and dedupe: one row per threat key; a threat is (re-)announced when it is new or its
level rises."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from functions._platform.db.models import Threat
from functions.scan.threats import threat_key
from sreo_events.models import ThreatDetected

LEVEL_ORDER = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def record_threats(session: Session, threats: list[ThreatDetected]) -> list[tuple[str, ThreatDetected]]:
    """Upsert each threat; returns (key, threat) for those to announce."""
    now = datetime.now(UTC)
    announce = []
    for threat in threats:
        key = threat_key(threat)
        row = session.get(Threat, key)
        payload = threat.model_dump(mode="json")
        if row is None:
            session.add(Threat(key=key, kind=threat.kind, subject=threat.subject, level=threat.level,
                               payload=payload, first_seen=now, last_seen=now))
            announce.append((key, threat))
            continue
        rising = LEVEL_ORDER[threat.level] > LEVEL_ORDER.get(row.level, 0)
        row.last_seen, row.payload = now, payload
        if rising:
            row.level = threat.level
            announce.append((key, threat))
    return announce
