"""Every write is authenticated: API tokens on the public writes, the broker's own token on the dead-letter sink
(whatever other tokens exist), a responder token on approvals; the OpenAPI document says which is which."""

from __future__ import annotations

import pytest
from cloudevents.http import CloudEvent
from support.api_edge import AUTH, BROKER_TOKEN, TOKEN, cloudevent, plausible_requests

from sreo_events import types

WRITES = [(method, path, kwargs) for method, path, kwargs in plausible_requests() if method == "POST"]


def _dead_letter(token: str | None = None, query: dict[str, str] | None = None) -> dict:
    request = cloudevent("dl-auth", knativeerrordest="agents", knativeerrorcode="500")
    if token:
        request["headers"]["Authorization"] = f"Bearer {token}"
    return {**request, "params": query or {}}


@pytest.mark.parametrize("method, path, kwargs", WRITES, ids=[path for _, path, _ in WRITES])
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_write_refuses_a_missing_or_wrong_token(orchestrator, method: str, path: str, kwargs: dict) -> None:
    headers = {k: v for k, v in kwargs.get("headers", {}).items() if k.lower() != "authorization"}
    for auth in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic " + TOKEN}):
        response = orchestrator.client.request(method, path, **{**kwargs, "headers": {**headers, **auth}})
        assert response.status_code in (401, 403), (path, auth, response.text)
        assert response.json()["error"]["code"] in ("unauthorized", "forbidden")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_dead_letter_sink_takes_only_the_brokers_token(make_orchestrator) -> None:
    client = make_orchestrator().client
    for refused in (_dead_letter(), _dead_letter(TOKEN), _dead_letter("wrong"), _dead_letter(query={"token": TOKEN})):
        assert client.post("/dead-letters", **refused).status_code == 401
    assert client.post("/dead-letters", **_dead_letter(BROKER_TOKEN)).status_code == 202
    assert client.post("/dead-letters", **_dead_letter(query={"token": BROKER_TOKEN})).status_code == 202
    assert len(client.get("/events/dead-letters").json()["items"]) == 2


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_local_broker_parks_through_the_sink_with_its_own_token(make_orchestrator) -> None:
    """No SREO_BROKER_TOKEN: the host makes one, and only its broker knows it."""
    orchestrator = make_orchestrator(broker_token=None)
    token = orchestrator.host.settings.broker_token
    assert token and token != TOKEN
    assert orchestrator.client.post("/dead-letters", **_dead_letter(TOKEN)).status_code == 401
    poison = CloudEvent({"type": types.INVESTIGATION_REQUESTED, "source": "/tests/edge", "id": "poison-edge",
                         "domain": "logs"}, {"incident_id": 42})
    orchestrator.host.broker.emit(poison)
    orchestrator.settle()
    letter = orchestrator.client.get("/events/dead-letters").json()["items"][0]
    # The sink's record names the destination ("from <service>"); the broker's last-resort store does not.
    assert letter["event_id"] == "poison-edge" and "HTTP 400 from agent-logs" in letter["error"], letter


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_openapi_document_marks_security_per_route(orchestrator) -> None:
    spec = orchestrator.client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["bearer"].items()
    for method, path, _ in plausible_requests("{incident_id}"):
        template = path.replace("/a1/", "/{action_id}/")
        if template == "/openapi.json":
            continue
        operation = spec["paths"][template][method.lower()]
        security = operation.get("security", [])
        if method == "POST":
            assert security, (method, template)
            assert "401" in operation["responses"], (method, template)
        else:
            assert security in ([], [{}]), (method, template)
    assert {"brokerBearer", "brokerQuery"} <= {name for option in spec["paths"]["/dead-letters"]["post"]["security"]
                                                for name in option}


def test_writes_with_the_token_are_accepted(orchestrator) -> None:
    response = orchestrator.client.post("/incidents", json={"text": "checkout is failing"}, headers=AUTH)
    assert response.status_code == 202
