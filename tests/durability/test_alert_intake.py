"""Alertmanager-grade intake: any size, one incident per group however often it is redelivered, repeats merged."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from functions._platform.db.models import AlertRecord, Incident, TimelineEntry


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
