"""An HTTP incident report or an Alertmanager webhook flows through every function into a stored report."""

from __future__ import annotations

from sqlalchemy import func, select

from functions._platform.db.models import AlertRecord, Incident, ProcessedEvent, Report


def test_http_incident_becomes_a_stored_report(orchestrator) -> None:
    accepted = orchestrator.client.post("/incidents", json={
        "text": "checkout is slow and returns 500s since the deploy", "service": "checkout", "namespace": "shop",
        "severity": "critical"})
    assert accepted.status_code == 202
    body = accepted.json()
    assert body["links"]["report"] == f"/incidents/{body['id']}/report"
    assert {"kubernetes", "logs", "metrics", "database"} <= set(body["domains"])

    report = orchestrator.report(body["id"])
    assert report["incident_id"] == body["id"]
    assert report["severity"] == "critical" and report["service"] == "checkout"
    assert set(report["domains"]["answered"]) == set(body["domains"])
    assert report["domains"]["missing"] == []
    assert isinstance(report["causes"], list)
    steps = [entry["actor"] for entry in report["timeline"]]
    assert steps[0] == "triage" and "correlate" in steps and steps[-1] == "report"

    markdown = orchestrator.client.get(f"/incidents/{body['id']}/report", params={"format": "markdown"})
    assert markdown.status_code == 200 and markdown.headers["content-type"].startswith("text/markdown")
    assert "## Timeline" in markdown.text and body["id"] in markdown.text

    listing = orchestrator.client.get("/incidents").json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == body["id"]


def _webhook(fingerprint: str, alertname: str = "CheckoutErrorRate", status: str = "firing",
             group_key: str = '{}:{alertname="CheckoutErrorRate"}', extra: dict | None = None) -> dict:
    return {
        "version": "4", "groupKey": group_key, "status": status, "receiver": "sreo", "truncatedAlerts": 0,
        "groupLabels": {"alertname": alertname}, "commonLabels": {"service": "checkout"},
        "commonAnnotations": {}, "externalURL": "http://am", "someFutureKey": {"nested": True},
        "alerts": [{"status": status, "labels": {"alertname": alertname, "service": "checkout", "severity": "page",
                                                 **(extra or {})},
                    "annotations": {"summary": "checkout 5xx ratio above 5%"},
                    "startsAt": "2026-01-01T10:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                    "generatorURL": "http://prom/graph", "fingerprint": fingerprint, "unknownField": 1}],
    }


def test_alertmanager_webhook_groups_and_deduplicates(orchestrator) -> None:
    first = orchestrator.client.post("/alerts/alertmanager", json=_webhook("fp-1"))
    assert first.status_code == 202, first.text
    incident_id = first.json()["incidents"][0]["id"]
    assert first.json()["incidents"][0]["created"] is True

    repeat = orchestrator.client.post("/alerts/alertmanager", json=_webhook("fp-1")).json()
    sibling = orchestrator.client.post("/alerts/alertmanager", json=_webhook("fp-2", extra={"pod": "a"})).json()
    assert repeat["incidents"] == [{"id": incident_id, "created": False, "links": repeat["incidents"][0]["links"]}]
    assert sibling["incidents"][0]["id"] == incident_id and sibling["incidents"][0]["created"] is False

    other = orchestrator.client.post("/alerts/alertmanager", json=_webhook(
        "fp-9", alertname="OrdersDbConnections", group_key='{}:{alertname="OrdersDbConnections"}')).json()
    assert other["incidents"][0]["id"] != incident_id

    report = orchestrator.report(incident_id)
    assert report["severity"] == "critical"
    orchestrator.report(other["incidents"][0]["id"])
    with orchestrator.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 2
        alerts = {a.fingerprint: a for a in session.scalars(select(AlertRecord).filter_by(incident_id=incident_id))}
    assert sorted(alerts) == ["fp-1", "fp-2"] and alerts["fp-1"].count == 2 and alerts["fp-2"].count == 1


def test_resolved_alerts_close_the_incident(orchestrator) -> None:
    incident_id = orchestrator.client.post("/alerts/alertmanager", json=_webhook("fp-r")).json()["incidents"][0]["id"]
    orchestrator.report(incident_id)
    orchestrator.client.post("/alerts/alertmanager", json=_webhook("fp-r", status="resolved"))
    assert orchestrator.client.get(f"/incidents/{incident_id}").json()["resolved_at"] is not None
    again = orchestrator.client.post("/alerts/alertmanager", json=_webhook("fp-r")).json()
    assert again["incidents"][0]["id"] != incident_id, "a new firing after resolution opens a new incident"


def test_alert_cloudevent_is_accepted(orchestrator) -> None:
    from cloudevents.http import CloudEvent

    from sreo_events.envelope import encode

    event = CloudEvent({"type": "com.example.monitor.alert", "source": "/monitor", "id": "a-1"},
                       {"labels": {"alertname": "DiskAlmostFull", "service": "orders"},
                        "annotations": {"summary": "disk 95% full"}})
    for mode in ("binary", "structured"):
        headers, body = encode(event, mode)
        response = orchestrator.client.post("/alerts/cloudevents", headers=headers, content=body)
        assert response.status_code == 202, response.text
    incident_id = response.json()["incidents"][0]["id"]
    assert orchestrator.report(incident_id)["title"].startswith("DiskAlmostFull")


def test_every_accepted_event_is_processed_once(orchestrator) -> None:
    incident_id = orchestrator.client.post("/incidents", json={"text": "orders API returns errors"}).json()["id"]
    orchestrator.report(incident_id)
    orchestrator.settle()
    with orchestrator.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 1
        processed = session.scalars(select(ProcessedEvent)).all()
    keys = [(p.consumer, p.source, p.event_id) for p in processed]
    assert len(keys) == len(set(keys))
