"""At-least-once delivery: duplicates change nothing, transient failures are retried, poison is parked."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from fake_agents import HangingAgent, RaisingAgent
from sqlalchemy import func, select

from functions._platform.db.models import (
    DeadLetter,
    EvidenceRecord,
    Incident,
    ProcessedEvent,
    Report,
    TimelineEntry,
)
from functions.agents.registry import AGENTS
from sreo_events import types
from sreo_events.envelope import make_event
from sreo_events.models import EvidenceCollected, IncidentReported, InvestigationRequested, TimeWindow


def _count(orchestrator, model, **filters) -> int:
    with orchestrator.db.session() as session:
        return session.scalar(select(func.count()).select_from(model).filter_by(**filters))


def test_the_same_cloudevent_twice_creates_nothing_twice(orchestrator) -> None:
    incident_id = orchestrator.client.post("/incidents", json={"text": "login page errors"}).json()["id"]
    orchestrator.report(incident_id)
    orchestrator.settle()
    timeline_before = _count(orchestrator, TimelineEntry, incident_id=incident_id)
    evidence = EvidenceCollected(incident_id=incident_id, domain="auth", status="no_data")
    event = make_event(types.EVIDENCE_COLLECTED, evidence, source="/test", event_id="dup-1", domain="auth",
                       correlationid=incident_id)
    for _ in range(2):
        orchestrator.host.broker.emit(event)
    orchestrator.settle()
    assert _count(orchestrator, EvidenceRecord, incident_id=incident_id, domain="auth") == 1
    # the late auth answer is recorded once and re-correlated once; nothing else is added
    assert _count(orchestrator, TimelineEntry, incident_id=incident_id) - timeline_before <= 3
    assert _count(orchestrator, DeadLetter) == 0


def test_evidence_before_the_incident_reaches_correlate_waits_for_it(orchestrator) -> None:
    """An agent may answer before `incident.reported` reaches correlate: the answer is stored at once (no retry,
    no dead letter), and the incident is correlated when `incident.reported` says what else to expect."""
    now = datetime.now(UTC)
    incident_id = "inc-20260101-0000late"
    with orchestrator.db.session() as session:  # as triage stores it; its announcement is still in flight
        session.add(Incident(id=incident_id, title="late", description="", service=None, namespace=None,
                             severity="warning", status="open", source="http", group_key=None, domains=["logs"],
                             classification={}, started_at=now, window_start=now, window_end=now,
                             deadline_at=now + timedelta(minutes=5), created_at=now, fanned_out_at=now))
    evidence = EvidenceCollected(incident_id=incident_id, domain="logs", status="success")
    orchestrator.host.broker.emit(make_event(types.EVIDENCE_COLLECTED, evidence, source="/test", domain="logs",
                                             correlationid=incident_id, event_id="early-logs"))
    orchestrator.settle()
    assert _count(orchestrator, EvidenceRecord, incident_id=incident_id) == 1
    assert _count(orchestrator, ProcessedEvent, consumer="correlate", event_id="early-logs") == 1
    assert _count(orchestrator, Report, incident_id=incident_id) == 0, "nothing to correlate against yet"
    reported = IncidentReported(incident_id=incident_id, title="late", severity="warning", started_at=now,
                                window=TimeWindow(start=now, end=now), domains=["logs"],
                                deadline=now + timedelta(minutes=5))
    orchestrator.host.broker.emit(make_event(types.INCIDENT_REPORTED, reported, source="/sreo/triage",
                                             correlationid=incident_id, event_id="late-reported"))
    assert orchestrator.report(incident_id)["domains"]["answered"] == ["logs"]
    assert _count(orchestrator, DeadLetter) == 0


def test_poison_event_ends_in_the_dead_letter_store(orchestrator) -> None:
    bad = make_event(types.SCAN_REQUESTED, InvestigationRequested.model_construct(), source="/test",
                     event_id="poison-1")
    bad = bad.__class__({**bad.get_attributes(), "type": types.INVESTIGATION_REQUESTED, "domain": "logs"},
                        {"incident_id": 42})
    orchestrator.host.broker.emit(bad)
    orchestrator.settle()
    letters = orchestrator.client.get("/events/dead-letters").json()["items"]
    assert len(letters) == 1
    letter = letters[0]
    assert letter["event_id"] == "poison-1" and letter["trigger"] == "agent-logs-investigation-requested"
    assert letter["attempts"] == 1, "a 400 is never retried"
    assert "HTTP 400" in letter["error"]


def test_retries_are_exhausted_before_dead_lettering(orchestrator) -> None:
    evidence = EvidenceCollected(incident_id="inc-20260101-nevercomes", domain="logs", status="no_data")
    orchestrator.host.broker.emit(make_event(types.EVIDENCE_COLLECTED, evidence, source="/test", domain="logs",
                                             event_id="orphan-1"))
    orchestrator.settle(timeout=60)
    letter = orchestrator.client.get("/events/dead-letters").json()["items"][0]
    assert letter["event_id"] == "orphan-1"
    assert letter["attempts"] == 4, "the Trigger says retry: 3, so 1 + 3 deliveries"
    assert "HTTP 503" in letter["error"] or "HTTP 500" in letter["error"]


def _request(domain: str, incident_id: str) -> InvestigationRequested:
    now = datetime.now(UTC)
    return InvestigationRequested(incident_id=incident_id, domain=domain,
                                  window=TimeWindow(start=now - timedelta(minutes=5), end=now),
                                  deadline=now + timedelta(minutes=1))


def test_agent_that_raises_or_hangs_yields_error_evidence(orchestrator, monkeypatch) -> None:
    monkeypatch.setitem(AGENTS, "auth", lambda settings: RaisingAgent())
    monkeypatch.setitem(AGENTS, "database", lambda settings: HangingAgent())
    accepted = orchestrator.client.post("/incidents", json={
        "text": "users cannot log in, token errors, database lock waits"}).json()
    assert {"auth", "database"} <= set(accepted["domains"])
    report = orchestrator.report(accepted["id"], timeout=60)
    failed = report["domains"]["failed"]
    assert "identity provider API returned garbage" in failed["auth"]
    assert "timed out" in failed["database"]
    markdown = orchestrator.client.get(f"/incidents/{accepted['id']}/report", params={"format": "markdown"}).text
    assert "auth: failed" in markdown and "database: failed" in markdown


def test_sweeper_finishes_investigations_past_their_deadline(make_orchestrator) -> None:
    orchestrator = make_orchestrator(correlation_deadline_s=0.5)
    original = orchestrator.host.broker.subscriptions
    orchestrator.host.broker.subscriptions = [s for s in original if not s.trigger.startswith("agent-metrics")]
    accepted = orchestrator.client.post("/incidents", json={"text": "checkout latency is high"}).json()
    orchestrator.settle()
    assert orchestrator.client.get(f"/incidents/{accepted['id']}").json()["status"] != "reported"
    time.sleep(0.6)
    orchestrator.host.tick()
    report = orchestrator.report(accepted["id"])
    assert report["domains"]["missing"] == ["metrics"]
    assert report["complete"] is False
    markdown = orchestrator.client.get(f"/incidents/{accepted['id']}/report", params={"format": "markdown"}).text
    assert "metrics: never answered before the deadline" in markdown


def test_fan_out_lost_to_a_broker_outage_is_resent_by_the_sweeper(orchestrator) -> None:
    broker = orchestrator.host.broker
    subscriptions, broker.subscriptions = broker.subscriptions, []
    incident_id = orchestrator.client.post("/incidents", json={"text": "orders API errors"}).json()["id"]
    broker.subscriptions = subscriptions
    with orchestrator.db.session() as session:
        incident = session.get(Incident, incident_id)
        incident.fanned_out_at = None
        incident.created_at -= timedelta(minutes=1)
    orchestrator.host.tick()
    assert orchestrator.report(incident_id)["domains"]["missing"] == []


def test_the_dead_letter_sink_parks_only_what_a_broker_gave_up_on(orchestrator) -> None:
    headers = {"ce-specversion": "1.0", "ce-type": types.EVIDENCE_COLLECTED, "ce-source": "/elsewhere",
               "ce-id": "not-dead", "content-type": "application/json",
               "authorization": f"Bearer {orchestrator.host.settings.broker_token}"}
    refused = orchestrator.client.post("/dead-letters", headers=headers, content=b"{}")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_a_dead_letter"
    oversize = orchestrator.client.post("/dead-letters", headers=headers,
                                        content=b"{" + b" " * orchestrator.host.runtime.settings.max_body_bytes + b"}")
    assert oversize.status_code == 413
    parked = orchestrator.client.post("/dead-letters", content=b"{}", headers={
        **headers, "ce-id": "dead-1", "ce-knativeerrordest": "http://agents/", "ce-knativeerrorcode": "500"})
    assert parked.status_code == 202
    assert [letter["event_id"] for letter in orchestrator.client.get("/events/dead-letters").json()["items"]] == [
        "dead-1"]
