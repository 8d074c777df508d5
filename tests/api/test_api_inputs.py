"""Input no store can keep, or that is built to hurt the parser, is a 4xx on both stores; a search backend that
is down is a 503 that /readyz names."""

from __future__ import annotations

import pytest
from support.api_edge import AUTH, cloudevent
from support.servers import free_port


def test_nul_characters_are_refused_the_same_on_both_stores(orchestrator) -> None:
    body = {"text": "checkout is down\u0000", "service": "checkout"}
    response = orchestrator.client.post("/incidents", json=body, headers=AUTH)
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_body"
    webhook = {"version": "4", "alerts": [{"labels": {"alertname": "A\u0000B"}}]}
    assert orchestrator.client.post("/alerts/alertmanager", json=webhook, headers=AUTH).status_code == 400
    assert orchestrator.client.get("/incidents/inc-%00").status_code in (404, 422)
    assert orchestrator.client.get("/incidents", params={"status": "open\u0000"}).status_code in (200, 422)


def test_nul_in_a_cloudevent_alert_is_a_4xx_not_a_500(orchestrator) -> None:
    request = cloudevent("nul-1")
    request["content"] = request["content"].replace("EdgeTest", "Edge\\u0000Test")
    response = orchestrator.client.post("/alerts/cloudevents", headers={**request["headers"], **AUTH},
                                        content=request["content"])
    assert response.status_code < 500, response.text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_deeply_nested_bodies_are_a_400(orchestrator) -> None:
    deep = '{"text": "checkout is down", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = orchestrator.client.post("/incidents", content=deep, headers={**AUTH, "content-type": "application/json"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_json"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_search_backend_that_is_down_is_a_503_that_readyz_names(make_orchestrator) -> None:
    orchestrator = make_orchestrator(opensearch_url=f"http://127.0.0.1:{free_port()}")
    ready = orchestrator.client.get("/readyz")
    assert ready.status_code == 503 and ready.headers["retry-after"]
    checks = ready.json()["error"]["details"]["checks"]
    assert checks["search"].startswith("down") and checks["database"] == "ok"
    search = orchestrator.client.get("/runbooks/search", params={"q": "crashloop"})
    assert search.status_code == 503 and search.json()["error"]["code"] == "search_unavailable", search.text
    assert orchestrator.client.get("/incidents").status_code == 200


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_report_may_spell_severity_as_alerting_rules_do(orchestrator) -> None:
    body = {"text": "shipping receives no orders", "service": "shipping", "severity": "High"}
    response = orchestrator.client.post("/incidents", json=body, headers=AUTH)
    assert response.status_code == 202, response.text
    incident = orchestrator.client.get(f"/incidents/{response.json()['id']}", headers=AUTH).json()
    assert incident["severity"] == "critical"
    refused = orchestrator.client.post("/incidents", json={**body, "severity": "urgent"}, headers=AUTH)
    assert refused.status_code == 422 and refused.json()["error"]["details"][0]["loc"] == ["severity"]
