"""The outbox: what is staged is delivered after commit, survives a restart, and a failed dead-letter write leaves
the event pending instead of losing it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from functions._platform.config import Settings
from functions._platform.db.engine import Database
from functions._platform.db.fan_ins import FanIn
from functions._platform.db.models import DeadLetter, Incident
from functions._platform.db.report_incidents import ReportIncident
from functions._platform.outbox import pending, stage
from functions.report import dead_letters
from sreo_events import types
from sreo_events.envelope import make_event
from sreo_events.models import EvidenceCollected, InvestigationRequested


def _pending(orchestrator) -> tuple[int, list[dict]]:
    with orchestrator.db.session() as session:
        return pending(session)


def _poison() -> object:
    bad = make_event(types.SCAN_REQUESTED, InvestigationRequested.model_construct(), source="/test",
                     event_id="poison-pending")
    return bad.__class__({**bad.get_attributes(), "type": types.INVESTIGATION_REQUESTED, "domain": "logs"},
                         {"incident_id": 42})


def test_a_failed_dead_letter_write_leaves_the_event_pending(make_orchestrator, monkeypatch) -> None:
    orchestrator = make_orchestrator()

    def store_down(*args, **kwargs):
        raise ConnectionError("the store is down")

    monkeypatch.setattr(dead_letters, "park", store_down)
    real_park, orchestrator.host.broker._park = orchestrator.host.broker._park, store_down
    orchestrator.host.broker.emit(_poison())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (_pending(orchestrator)[1] or [{}])[0].get("last_error"):
        time.sleep(0.05)
    total, items = _pending(orchestrator)
    assert total == 1 and items[0]["event_id"] == "poison-pending", "the event is kept, not lost"
    assert items[0]["attempts"] >= 1 and items[0]["last_error"]
    with orchestrator.db.session() as session:
        assert session.scalar(select(func.count()).select_from(DeadLetter)) == 0

    monkeypatch.undo()
    orchestrator.host.broker._park = real_park
    orchestrator.settle(timeout=60)  # redelivered after its backoff, and now parked
    assert _pending(orchestrator)[0] == 0
    letters = orchestrator.client.get("/events/dead-letters").json()["items"]
    assert [letter["event_id"] for letter in letters] == ["poison-pending"]


def test_what_a_dead_process_left_pending_is_delivered_at_start_up(tmp_path: Path, database_url: str | None,
                                                                  make_orchestrator) -> None:
    """Evidence staged while no orchestrator runs is delivered by the next one to start."""
    now = datetime.now(UTC)
    incident_id = "inc-20260101-0000left"
    database = Database(Settings(home=tmp_path / "home", database_url=database_url))
    with database.session() as session:
        session.add(Incident(id=incident_id, title="left behind", description="", service=None, namespace=None,
                             severity="warning", status="open", source="http", group_key=None,
                             domains=["logs", "metrics"], classification={}, started_at=now,
                             window_start=now - timedelta(minutes=5), window_end=now,
                             deadline_at=now + timedelta(minutes=5), created_at=now, fanned_out_at=now))
        session.add(FanIn(incident_id=incident_id, service=None, started_at=now, domains=["logs", "metrics"],
                          deadline_at=now + timedelta(minutes=5), expected_at=now))
        session.add(ReportIncident(id=incident_id, title="left behind", description="", service=None,
                                   namespace=None, severity="warning", status="open", source="http",
                                   domains=["logs", "metrics"], classification={}, alertnames=[], runbooks=[],
                                   started_at=now, window_start=now - timedelta(minutes=5), window_end=now,
                                   created_at=now))
        session.flush()
        stage(session, [make_event(types.EVIDENCE_COLLECTED,
                                   EvidenceCollected(incident_id=incident_id, domain=domain, status="no_data"),
                                   source="/test", domain=domain, correlationid=incident_id)
                        for domain in ("logs", "metrics")])
    database.dispose()

    orchestrator = make_orchestrator()
    report = orchestrator.report(incident_id)
    assert report["domains"]["answered"] == ["logs", "metrics"] and report["complete"] is True
    orchestrator.settle()
    assert _pending(orchestrator)[0] == 0
