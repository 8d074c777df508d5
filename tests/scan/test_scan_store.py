from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from functions._platform.config import Settings
from functions._platform.db.engine import Database
from functions.scan.store import record_threats
from sreo_events.models import ThreatDetected, TimeWindow

NOW = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)


def threat(level: str, source: str = "203.0.113.1") -> ThreatDetected:
    return ThreatDetected(kind="brute_force", subject="sshd", level=level,
                          window=TimeWindow(start=NOW - timedelta(hours=1), end=NOW),
                          evidence={"source_ip": source}, mitigation="block it")


def test_threats_are_announced_once_and_again_when_they_escalate(tmp_path: Path) -> None:
    db = Database(Settings(home=tmp_path))
    try:
        with db.session() as session:
            assert len(record_threats(session, [threat("medium"), threat("medium", "203.0.113.2")])) == 2
        with db.session() as session:
            assert record_threats(session, [threat("medium")]) == []
        with db.session() as session:
            assert [t.level for _, t in record_threats(session, [threat("critical")])] == ["critical"]
        with db.session() as session:
            assert record_threats(session, [threat("high")]) == []
    finally:
        db.dispose()
