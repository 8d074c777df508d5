"""Forward-only incident state: the lost update of two racing evidence deliveries, made deterministic."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from functions._platform.db.fan_ins import FanIn
from functions._platform.db.models import DeadLetter, Incident, ProcessedEvent, TimelineEntry
from functions._platform.db.report_incidents import ReportIncident
from functions.correlate import events as correlate_events
from functions.correlate import fan_in as correlate_core
from sreo_events import types
from sreo_events.envelope import make_event
from sreo_events.models import EvidenceCollected

DOMAINS = ["logs", "metrics"]


def _store_incident(orchestrator, incident_id: str) -> None:
    now = datetime.now(UTC)
    with orchestrator.db.session() as session:
        session.add(Incident(id=incident_id, title="race", description="", service=None, namespace=None,
                             severity="warning", status="open", source="http", group_key=None, domains=DOMAINS,
                             classification={}, started_at=now, window_start=now - timedelta(minutes=5),
                             window_end=now, deadline_at=now + timedelta(minutes=5), created_at=now,
                             fanned_out_at=now))
        session.add(FanIn(incident_id=incident_id, service=None, started_at=now, domains=DOMAINS,
                          deadline_at=now + timedelta(minutes=5), expected_at=now))
        session.add(ReportIncident(id=incident_id, title="race", description="", service=None, namespace=None,
                                   severity="warning", status="open", source="http", domains=DOMAINS,
                                   classification={}, alertnames=[], runbooks=[], started_at=now,
                                   window_start=now - timedelta(minutes=5), window_end=now, created_at=now))


def _status(orchestrator, incident_id: str) -> str:
    with orchestrator.db.session() as session:
        return session.get(Incident, incident_id).status


def test_two_last_answers_racing_still_end_reported(make_orchestrator, monkeypatch) -> None:
    """Both deliveries store their answer, both see the set complete and rank; one correlates and the report is
    published; only then does the other finish. It must not move the incident back to `correlated`."""
    orchestrator = make_orchestrator()
    incident_id = "inc-20260101-00race01"
    _store_incident(orchestrator, incident_id)
    stored = threading.Barrier(2, timeout=20)
    ranked = threading.Barrier(2, timeout=20)
    real_diagnose = correlate_core.diagnose
    real_crash_point = correlate_events.crash_point

    def both_stored(name: str) -> None:
        real_crash_point(name)
        if name == "evidence":
            stored.wait()

    def rank_then_interleave(placed, edges, **kwargs):
        diagnosis = real_diagnose(placed, edges, **kwargs)
        if ranked.wait() == 0:  # the late one: resumes only once the other's report is published
            deadline = time.monotonic() + 20
            while _status(orchestrator, incident_id) != "reported" and time.monotonic() < deadline:
                time.sleep(0.02)
        return diagnosis

    emitted: list[str] = []
    real_correlate = correlate_core.correlate

    def counting_correlate(*args, **kwargs):
        events = real_correlate(*args, **kwargs)
        emitted.extend(event["id"] for event in events)
        return events

    monkeypatch.setattr(correlate_core, "correlate", counting_correlate)
    monkeypatch.setattr(correlate_events, "crash_point", both_stored)
    monkeypatch.setattr(correlate_core, "diagnose", rank_then_interleave)
    for domain in DOMAINS:
        evidence = EvidenceCollected(incident_id=incident_id, domain=domain, status="no_data")
        orchestrator.host.broker.emit(make_event(types.EVIDENCE_COLLECTED, evidence, source="/test", domain=domain,
                                                 correlationid=incident_id, event_id=f"race-{domain}"))
    orchestrator.settle(timeout=60)

    assert _status(orchestrator, incident_id) == "reported"
    with orchestrator.db.session() as session:
        incident = session.get(Incident, incident_id)
        assert incident.reported_at is not None and incident.correlated_at is not None
        correlated = session.scalar(select(func.count()).select_from(TimelineEntry).filter_by(
            incident_id=incident_id, actor="correlate", key="correlated"))
        reports = session.scalar(select(func.count()).select_from(ProcessedEvent).filter_by(
            consumer="report", source=correlate_core.SOURCE))
        assert session.scalar(select(func.count()).select_from(DeadLetter)) == 0
    assert len(emitted) == 1, "incident.correlated is emitted once, by the delivery that won the compare-and-set"
    assert correlated == 1, "correlated once"
    assert reports == 1, "one incident.correlated reached the report"
    assert orchestrator.report(incident_id)["domains"]["answered"] == DOMAINS
