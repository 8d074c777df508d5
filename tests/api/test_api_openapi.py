"""The OpenAPI document is the API: path parameters declared, every status a route answers documented with the
error schema, `text/plain` for /metrics, required parameters marked, date-time fields validated."""

from __future__ import annotations

import pytest
from support.api_edge import AUTH

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _spec(orchestrator) -> dict:
    return orchestrator.client.get("/openapi.json").json()


def test_path_parameters_are_declared(orchestrator) -> None:
    for path, operations in _spec(orchestrator)["paths"].items():
        names = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        for operation in operations.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == names, path
            assert all(p["required"] for p in operation.get("parameters", []) if p["in"] == "path")


def test_statuses_and_error_schemas_are_documented(orchestrator) -> None:
    spec = _spec(orchestrator)
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert error["properties"]["error"]["required"] == ["code", "message", "details"]
    paths = spec["paths"]
    assert {"202", "400", "401", "413", "415", "422", "503"} <= set(paths["/incidents"]["post"]["responses"])
    assert {"201", "401", "403", "404", "409", "503"} <= set(
        paths["/incidents/{incident_id}/actions/{action_id}/approve"]["post"]["responses"])
    assert {"200", "404", "422", "503"} <= set(paths["/incidents/{incident_id}/report"]["get"]["responses"])
    assert {"201", "401"} <= set(paths["/runbooks"]["post"]["responses"])
    for path, operations in paths.items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/Error"}, (method, path, status)
            if "503" in operation["responses"]:
                assert "Retry-After" in operation["responses"]["503"]["headers"]


def test_metrics_are_text_and_required_parameters_are_marked(orchestrator) -> None:
    paths = _spec(orchestrator)["paths"]
    assert list(paths["/metrics"]["get"]["responses"]["200"]["content"]) == ["text/plain"]
    assert orchestrator.client.get("/metrics").headers["content-type"].startswith("text/plain")
    search = {p["name"]: p for p in paths["/runbooks/search"]["get"]["parameters"]}
    assert search["q"]["required"] is True and search["k"]["required"] is False
    assert orchestrator.client.get("/runbooks/search").status_code == 422
    assert {"markdown", "json"} <= set(
        {p["name"]: p for p in paths["/incidents/{incident_id}/report"]["get"]["parameters"]}["format"]["schema"][
            "enum"])


def test_unknown_routes_and_methods_answer_the_error_shape(orchestrator) -> None:
    missing = orchestrator.client.get("/nowhere")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = orchestrator.client.delete("/incidents")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"
    assert "allow" in wrong.headers


@pytest.mark.parametrize("started_at", [0, 1_700_000_000, "1700000000", "2026-01-31T09:30:00", "2026-01-31",
                                        True, [], {}])
def test_date_time_fields_take_only_rfc3339_with_an_offset(orchestrator, started_at: object) -> None:
    response = orchestrator.client.post("/incidents", json={"text": "checkout is down", "started_at": started_at},
                                        headers=AUTH)
    assert response.status_code == 422, started_at
    assert response.json()["error"]["details"][0]["loc"][0] == "started_at"


def test_a_valid_date_time_is_accepted_and_an_alert_epoch_is_refused(orchestrator) -> None:
    ok = orchestrator.client.post("/incidents", json={"text": "checkout is down",
                                                      "started_at": "2026-01-31T09:30:00+01:00"}, headers=AUTH)
    assert ok.status_code == 202
    webhook = {"version": "4", "alerts": [{"labels": {"alertname": "X"}, "startsAt": 0}]}
    assert orchestrator.client.post("/alerts/alertmanager", json=webhook, headers=AUTH).status_code == 400


def test_non_ascii_digits_in_integer_parameters_are_a_422(orchestrator) -> None:
    for value in ("²", "١٢", "1.5", "-1", " 3"):
        response = orchestrator.client.get("/incidents", params={"limit": value})
        assert response.status_code == 422, value
