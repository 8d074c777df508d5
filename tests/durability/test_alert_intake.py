"""Alertmanager-grade intake: any size, one incident per group however often it is redelivered, repeats merged."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy import event, func, select

from functions._platform.db.models import AlertRecord, Incident, TimelineEntry
from functions.triage import intake
from functions.triage.models import AlertmanagerWebhook
from sreo_events.models import Alert, AlertReceived


def _webhook(group: str, fingerprints: list[str], status: str = "firing", truncated: int = 0) -> dict:
    return {"version": "4", "groupKey": f'{{}}:{{alertname="{group}"}}', "status": status, "receiver": "sreo",
            "truncatedAlerts": truncated, "groupLabels": {"alertname": group},
            "commonLabels": {"alertname": group, "service": "checkout"},
            "alerts": [{"status": status, "labels": {"alertname": group, "service": "checkout", "pod": fp},
                        "annotations": {"summary": f"{group} on {fp}"}, "startsAt": "2026-01-01T10:00:00Z",
                        "fingerprint": fp} for fp in fingerprints]}


def _count(orchestrator, model, **filters) -> int:
    with orchestrator.db.session() as session:
        return session.scalar(select(func.count()).select_from(model).filter_by(**filters)) or 0


def test_a_group_of_any_size_is_accepted_and_truncation_is_noted(orchestrator) -> None:
    fingerprints = [f"fp-{n:04d}" for n in range(1200)]
    response = orchestrator.client.post("/alerts/alertmanager", json=_webhook("Huge", fingerprints, truncated=7))
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["accepted"] == 1200 and body["truncated_alerts"] == 7 and len(body["incidents"]) == 1
    incident_id = body["incidents"][0]["id"]
    assert _count(orchestrator, AlertRecord, incident_id=incident_id) == 1200
    assert _count(orchestrator, TimelineEntry, incident_id=incident_id, key="truncated:7") == 1
    assert orchestrator.report(incident_id, timeout=60)["domains"]["missing"] == []


def test_concurrent_redeliveries_of_a_group_open_one_incident(orchestrator) -> None:
    webhook = _webhook("Redelivered", [f"fp-{n}" for n in range(40)])
    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(lambda _: orchestrator.client.post("/alerts/alertmanager", json=webhook), range(4)))
    assert [r.status_code for r in responses] == [202] * 4
    assert len({r.json()["incidents"][0]["id"] for r in responses}) == 1
    assert sum(r.json()["incidents"][0]["created"] for r in responses) == 1
    assert _count(orchestrator, Incident) == 1
    with orchestrator.db.session() as session:
        counts = session.scalars(select(AlertRecord.count)).all()
    assert len(counts) == 40 and set(counts) == {4}, "each repeat is one update of the alert's row"
    orchestrator.settle(timeout=60)
    assert _count(orchestrator, Incident) == 1


def test_firing_then_resolved_merge_into_one_row(orchestrator) -> None:
    first = orchestrator.client.post("/alerts/alertmanager", json=_webhook("Flapping", ["fp-a", "fp-b"])).json()
    incident_id = first["incidents"][0]["id"]
    orchestrator.client.post("/alerts/alertmanager", json=_webhook("Flapping", ["fp-a"], status="resolved"))
    with orchestrator.db.session() as session:
        rows = {r.fingerprint: r for r in session.scalars(select(AlertRecord).filter_by(incident_id=incident_id))}
        assert session.get(Incident, incident_id).resolved_at is None, "fp-b still fires"
    assert sorted(rows) == ["fp-a", "fp-b"] and rows["fp-a"].status == "resolved" and rows["fp-a"].count == 2
    orchestrator.client.post("/alerts/alertmanager", json=_webhook("Flapping", ["fp-b"], status="resolved"))
    with orchestrator.db.session() as session:
        assert session.get(Incident, incident_id).resolved_at is not None
    orchestrator.settle(timeout=60)


def test_a_malformed_webhook_is_a_400_with_a_json_error(orchestrator) -> None:
    response = orchestrator.client.post("/alerts/alertmanager", content=b'{"alerts": [{"status": "boom"}]}',
                                        headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "validation_failed"
    broken = orchestrator.client.post("/alerts/alertmanager", content=b'{"alerts": [',
                                      headers={"content-type": "application/json"})
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "malformed_json"


@contextmanager
def _statements_of_this_thread(engine) -> Iterator[list[str]]:
    """The SQL this thread sends while the block runs (the broker's own threads are not counted)."""
    statements: list[str] = []
    me = threading.get_ident()

    def count(_conn, _cursor, statement, *_args) -> None:
        if threading.get_ident() == me:
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _accept(orchestrator, webhook: dict) -> list[str]:
    parsed = AlertmanagerWebhook.model_validate(webhook)
    received = AlertReceived(source_kind="alertmanager", group_key=parsed.group_key, common_labels=parsed.common_labels,
                             alerts=[Alert(status=a.status, labels=a.labels, annotations=a.annotations,
                                           starts_at=a.starts_at, fingerprint=a.fingerprint) for a in parsed.alerts])
    with _statements_of_this_thread(orchestrator.db.engine) as statements, orchestrator.db.session() as session:
        intake.accept_alerts(session, orchestrator.host.runtime.settings, received, announce=False)
    return statements


def test_a_notification_costs_a_few_statements_whatever_its_size(orchestrator) -> None:
    """Round trips are what a storm pays for on PostgreSQL: the alerts go in one statement, a new incident's
    opening entries in one and the joined-alerts entry in another, and a repeat is one update (and one read
    and one outbox row to tell report); none of it grows with the number of alerts but the event rows, 48 KiB
    of alerts each."""
    for group in ("Busy0", "Busy1", "Busy2"):  # other open incidents, which the lookups must not scan
        orchestrator.client.post("/alerts/alertmanager", json=_webhook(group, [f"{group}-{n}" for n in range(5)]))
    small = _accept(orchestrator, _webhook("Small", [f"s-{n}" for n in range(10)]))
    large = _accept(orchestrator, _webhook("Large", [f"l-{n}" for n in range(400)]))
    repeat = _accept(orchestrator, _webhook("Large", [f"l-{n}" for n in range(400)]))
    assert len(large) == len(small) <= 7, large
    assert sum("timeline" in sql for sql in large) == 2, "opening entries in one statement, the joined in one"
    # a repeat also tells report (one read of the changed alerts, incident.updated in the outbox, one row per
    # event of at most 48 KiB of alerts)
    assert len([sql for sql in repeat if "INTO outbox" not in sql]) <= 4, repeat
    assert 1 <= sum("INTO outbox" in sql for sql in repeat) <= 2, repeat
    with orchestrator.db.session() as session:
        entries = set(session.scalars(select(TimelineEntry.key).join(Incident).where(Incident.title.contains("Large"))))
    assert {"opened", "classified", "alert:l-1:joined"} <= entries, entries
    orchestrator.settle(timeout=60)
