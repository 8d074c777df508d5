"""Incidents that close: a resolved webhook resolves the incident, its report says so, and the page resolves;
the incident starts at the earliest alert's startsAt."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.notify_servers import protocol_server

from functions.notify.config import reset_config


def _alert(fingerprint: str, status: str = "firing", starts: str = "2026-01-01T10:00:00Z") -> dict:
    return {"status": status, "labels": {"alertname": "CheckoutErrorRate", "service": "checkout",
                                         "severity": "critical"},
            "annotations": {"summary": "checkout 5xx ratio above 5%"}, "startsAt": starts,
            "fingerprint": fingerprint}


def _webhook(*alerts: dict, status: str = "firing") -> dict:
    return {"version": "4", "groupKey": '{}:{alertname="CheckoutErrorRate"}', "status": status, "receiver": "sreo",
            "groupLabels": {}, "commonLabels": {"service": "checkout"}, "alerts": list(alerts)}


@pytest.fixture
def pagerduty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with protocol_server("pagerduty") as server:
        routes = tmp_path / "routes.yaml"
        routes.write_text(f"destinations: {{pd: {{kind: pagerduty, url: '{server.url}', secret_env: PD_KEY}}}}\n"
                          "default: [pd]\n")
        monkeypatch.setenv("SREO_NOTIFY_ROUTES", str(routes))
        monkeypatch.setenv("PD_KEY", "routing-key")
        reset_config()
        yield server
        reset_config()


def test_a_resolved_webhook_resolves_the_incident_its_report_and_the_page(pagerduty, make_orchestrator) -> None:
    orchestrator = make_orchestrator()
    client = orchestrator.client
    incident_id = client.post("/alerts/alertmanager", json=_webhook(_alert("fp-1"))).json()["incidents"][0]["id"]
    orchestrator.report(incident_id)
    orchestrator.settle()
    assert client.post("/alerts/alertmanager", json=_webhook(_alert("fp-1", "resolved"),
                                                             status="resolved")).status_code == 202
    orchestrator.settle()
    incident = client.get(f"/incidents/{incident_id}").json()
    assert incident["status"] == "resolved" and incident["resolved_at"]
    report = client.get(f"/incidents/{incident_id}/report").json()
    assert report["status"] == "resolved" and report["resolved_at"] == incident["resolved_at"]
    assert any(entry["text"] == "All alerts resolved" for entry in report["timeline"])
    markdown = client.get(f"/incidents/{incident_id}/report", params={"format": "markdown"}).text
    assert "status **resolved**" in markdown and "resolved 20" in markdown
    assert [body["event_action"] for body in pagerduty.received] == ["trigger", "resolve"]
    assert {body["dedup_key"] for body in pagerduty.received} == {incident_id}
    listed = client.get("/incidents", params={"status": "resolved"}).json()
    assert [item["id"] for item in listed["items"]] == [incident_id]


def test_the_incident_starts_at_the_earliest_alert(make_orchestrator) -> None:
    orchestrator = make_orchestrator()
    accepted = orchestrator.client.post("/alerts/alertmanager", json=_webhook(
        _alert("fp-late", starts="2026-01-01T10:20:00Z"), _alert("fp-early", starts="2026-01-01T10:05:00Z")))
    incident_id = accepted.json()["incidents"][0]["id"]
    incident = orchestrator.client.get(f"/incidents/{incident_id}").json()
    assert incident["started_at"].startswith("2026-01-01T10:05:00")
    orchestrator.settle()
