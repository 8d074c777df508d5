"""Bad input gets a clear 4xx with a JSON error body, never a 500; writes need a token when tokens are set."""

from __future__ import annotations

import pytest


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"]), body
    return body["error"]


@pytest.mark.parametrize("body, status, code", [
    (b"{not json", 400, "malformed_json"),
    (b"[1, 2]", 422, "invalid_body"),
    (b'{"text": 42}', 422, "validation_failed"),
    (b'{"text": "x"}', 422, "validation_failed"),
    (b'{"text": "checkout is down", "severity": "apocalyptic"}', 422, "validation_failed"),
    (b'{"text": "checkout is down", "started_at": "yesterday-ish"}', 422, "validation_failed"),
    (b'{"text": "checkout is down", "priority": "p1"}', 422, "validation_failed"),
    (b'{"text": "checkout is down", "namespace": "Not A Namespace"}', 422, "validation_failed"),
])
def test_invalid_incident_reports_are_rejected(orchestrator, body: bytes, status: int, code: str) -> None:
    response = orchestrator.client.post("/incidents", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert _error(response)["code"] == code


def test_unknown_field_is_named_in_the_error(orchestrator) -> None:
    error = _error(orchestrator.client.post("/incidents", json={"text": "checkout is down", "priority": "p1"}))
    assert error["details"][0]["loc"] == ["priority"]


def test_oversize_bodies_are_refused_before_parsing(make_orchestrator) -> None:
    orchestrator = make_orchestrator(max_body_bytes=2048, max_webhook_bytes=2048)
    response = orchestrator.client.post("/incidents", json={"text": "x" * 5000})
    assert response.status_code == 413 and _error(response)["code"] == "payload_too_large"
    webhook = {"version": "4", "alerts": [{"labels": {"alertname": "A" * 4000}}]}
    assert orchestrator.client.post("/alerts/alertmanager", json=webhook).status_code == 413


def test_wrong_media_type_and_methods(orchestrator) -> None:
    response = orchestrator.client.post("/incidents", content=b"text=down", headers={"content-type": "text/plain"})
    assert response.status_code == 415
    assert orchestrator.client.get("/alerts/alertmanager").status_code == 405


@pytest.mark.parametrize("payload", [
    {"version": "4", "alerts": []},
    {"version": "4", "alerts": [{"status": "exploded", "labels": {}}]},
    {"version": "4", "alerts": "not a list"},
])
def test_invalid_alertmanager_payloads(orchestrator, payload: dict) -> None:
    response = orchestrator.client.post("/alerts/alertmanager", json=payload)
    assert response.status_code == 400 and _error(response)["code"] == "validation_failed"


def test_bad_cloudevent_is_a_400(orchestrator) -> None:
    response = orchestrator.client.post("/alerts/cloudevents", content=b'{"hello": 1}',
                                        headers={"content-type": "application/json"})
    assert response.status_code == 400 and _error(response)["code"] == "invalid_cloudevent"
    no_labels = orchestrator.client.post("/alerts/cloudevents", content=b'{"a": 1}', headers={
        "content-type": "application/json", "ce-specversion": "1.0", "ce-id": "1", "ce-source": "/x",
        "ce-type": "com.example.alert"})
    assert no_labels.status_code == 400


def test_unknown_ids_are_404(orchestrator) -> None:
    assert _error(orchestrator.client.get("/incidents/inc-nope"))["code"] == "incident_not_found"
    assert _error(orchestrator.client.get("/incidents/inc-nope/report"))["code"] == "incident_not_found"
    assert orchestrator.client.get("/nowhere").status_code == 404
    incident_id = orchestrator.client.post("/incidents", json={"text": "checkout is down"}).json()["id"]
    orchestrator.report(incident_id)
    bad_format = orchestrator.client.get(f"/incidents/{incident_id}/report", params={"format": "pdf"})
    assert bad_format.status_code == 422
    assert orchestrator.client.get("/incidents", params={"limit": "0"}).status_code == 422
    for path, params in (("/events/dead-letters", {"limit": "1001"}), ("/threats", {"hours": "-1"}),
                         ("/runbooks/search", {"q": "crash", "k": "x"})):
        assert _error(orchestrator.client.get(path, params=params))["code"] == "invalid_parameter"


def test_write_endpoints_need_a_bearer_token_when_tokens_are_set(make_orchestrator) -> None:
    orchestrator = make_orchestrator(api_tokens="s3cret,other")
    body = {"text": "checkout is down"}
    assert _error(orchestrator.client.post("/incidents", json=body))["code"] == "unauthorized"
    wrong = orchestrator.client.post("/incidents", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert orchestrator.client.post("/alerts/alertmanager", json={"alerts": []}).status_code == 401
    assert orchestrator.client.post("/events", content=b"{}").status_code == 401
    ok = orchestrator.client.post("/incidents", json=body, headers={"Authorization": "Bearer other"})
    assert ok.status_code == 202
    assert orchestrator.client.get("/incidents").status_code == 200, "reads stay open"


def test_health_readiness_metrics_and_openapi(orchestrator) -> None:
    assert orchestrator.client.get("/healthz").json() == {"status": "ok"}
    assert orchestrator.client.get("/readyz").json() == {"status": "ready"}
    incident_id = orchestrator.client.post("/incidents", json={"text": "checkout is down"}).json()["id"]
    orchestrator.report(incident_id)
    metrics = orchestrator.client.get("/metrics").text
    for name in ("sreo_events_processed_total", "sreo_event_processing_seconds", "sreo_report_latency_seconds",
                 "sreo_http_requests_total", "sreo_evidence_total"):
        assert name in metrics
    spec = orchestrator.client.get("/openapi.json").json()
    assert {"/incidents", "/alerts/alertmanager", "/incidents/{incident_id}/report", "/runbooks/search",
            "/threats", "/topology"} <= set(spec["paths"])
    request_body = spec["paths"]["/incidents"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "text" in request_body["properties"]
