"""A real PostgreSQL stopped mid-run: every route answers 503 with Retry-After (never a 500) while it is down,
/readyz names the database, and everything works again once it is back."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from support.api_edge import AUTH, BROKER_TOKEN, RESPONDER_TOKEN, TOKEN, plausible_requests
from support.orchestrator import orchestrators
from support.paths import REPO_ROOT
from support.pg_outage import StoppablePostgres, stoppable_postgres

# Routes that answer without the store: liveness, metrics, the document, the broker ingress (events that no
# Trigger matches are only routed) and the runbook knowledge base (a search index of its own).
NO_STORE = {"/healthz", "/metrics", "/openapi.json", "/runbooks", "/runbooks/search"}  # /events: the outbox


@pytest.fixture
def outage_pg() -> StoppablePostgres:
    with stoppable_postgres() as server:
        yield server


def _answers(client, incident_id: str) -> dict[tuple[str, str], object]:
    return {(method, path): client.request(method, path, **kwargs)
            for method, path, kwargs in plausible_requests(incident_id)}


def _wait_ready(client, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, client.get("/readyz").json()
        time.sleep(0.1)


def test_a_stopped_database_is_a_503_on_every_route_and_the_api_recovers(outage_pg: StoppablePostgres,
                                                                         tmp_path: Path) -> None:
    with orchestrators(home=tmp_path / "home", database_url=outage_pg.create_database(), api_tokens=TOKEN,
                       responder_tokens=RESPONDER_TOKEN, broker_token=BROKER_TOKEN, correlation_deadline_s=30, agent_timeout_s=5) as make:
        orchestrator = make()
        client = orchestrator.client
        before = client.post("/incidents", json={"text": "checkout is failing"}, headers=AUTH).json()["id"]
        orchestrator.report(before)
        orchestrator.settle()

        outage_pg.stop()
        down = _answers(client, before)
        for (method, path), response in down.items():
            assert response.status_code < 500 or response.status_code == 503, (method, path, response.text)
            if response.status_code == 503:
                assert int(response.headers["retry-after"]) > 0, (method, path)
                assert {"code", "message", "details"} <= set(response.json()["error"]), (method, path)
        failing = {key for key, response in down.items() if response.status_code == 503}
        expected = {key for key in down if not any(key[1] == p for p in NO_STORE)}
        assert failing == expected
        ready = down[("GET", "/readyz")].json()["error"]
        assert ready["details"]["checks"]["database"].startswith("down") and "database" in ready["message"]
        assert ready["details"]["checks"]["search"] == "ok"
        assert down[("POST", "/incidents")].json()["error"]["code"] == "database_unavailable"

        outage_pg.start()
        _wait_ready(client)
        up = _answers(client, before)
        assert [key for key, response in up.items() if response.status_code >= 500] == []
        assert up[("GET", f"/incidents/{before}")].json()["status"] == "reported"
        after = up[("POST", "/incidents")]
        assert after.status_code == 202
        assert orchestrator.report(after.json()["id"])["causes"] is not None


def test_a_deployed_function_answers_503_when_its_store_is_unreachable(tmp_path: Path) -> None:
    """The functions-framework target (what Knative runs) shares the edge: a 503 with Retry-After, so the broker
    and clients retry, and a JSON error naming the dependency."""
    import functions_framework
    from support.servers import free_port

    from functions._platform.config import Settings
    from functions._platform.db.engine import Database
    from functions._platform.runtime import Runtime, set_runtime

    settings = Settings(home=tmp_path / "home", api_tokens=TOKEN,
                        database_url=f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere")
    source = REPO_ROOT / "functions"
    set_runtime(Runtime(settings=settings, db=Database(settings, migrate=False), emitter=None))  # type: ignore[arg-type]
    try:
        for target, path, method in (("triage_http", "/incidents", "post"), ("report_http", "/incidents", "get")):
            module = "triage" if target.startswith("triage") else "report"
            client = functions_framework.create_app(target, str(source / module / "func.py")).test_client()
            response = getattr(client, method)(path, json={"text": "checkout is failing"}, headers=AUTH)
            assert response.status_code == 503, (target, response.get_data(as_text=True))
            assert response.headers["Retry-After"] and response.get_json()["error"]["code"] == "database_unavailable"
    finally:
        set_runtime(None)
