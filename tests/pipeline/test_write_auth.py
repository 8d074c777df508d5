"""Writes and tokens: a deployed function (functions-framework target) refuses writes when it has no
SREO_API_TOKENS, unless SREO_OPEN_WRITES says otherwise; `sreo serve` stays open only on a loopback address."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import functions_framework
import pytest
from sqlalchemy import func, select
from support.orchestrator import orchestrators
from support.paths import REPO_ROOT

from functions._local.commands.serve import write_policy
from functions._platform.config import Settings
from functions._platform.db.engine import Database
from functions._platform.db.models import Incident
from functions._platform.runtime import Runtime, set_runtime

TRIAGE_SOURCE = REPO_ROOT / "functions" / "triage" / "func.py"
REPORT = {"text": "checkout returns 500s", "service": "checkout"}


class Discard:
    def emit(self, event: object) -> None:
        pass


@pytest.fixture
def deployed_triage(tmp_path: Path) -> Iterator[Callable[..., tuple[object, Database]]]:
    databases: list[Database] = []

    def start(**settings: object) -> tuple[object, Database]:
        configured = Settings(home=tmp_path / f"home-{len(databases)}", **settings)
        database = Database(configured)
        databases.append(database)
        set_runtime(Runtime(settings=configured, db=database, emitter=Discard()))
        return functions_framework.create_app("triage_http", str(TRIAGE_SOURCE)).test_client(), database

    yield start
    set_runtime(None)
    for database in databases:
        database.dispose()


def _incidents(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Incident)) or 0


def test_a_deployed_function_without_tokens_refuses_writes(deployed_triage) -> None:
    client, database = deployed_triage()
    refused = client.post("/incidents", json=REPORT)
    assert refused.status_code == 401
    error = refused.get_json()["error"]
    assert error["code"] == "unauthorized" and "SREO_API_TOKENS" in error["message"]
    assert _incidents(database) == 0


def test_a_deployed_function_opens_writes_only_when_told(deployed_triage) -> None:
    client, database = deployed_triage(open_writes=True)
    assert client.post("/incidents", json=REPORT).status_code == 202
    assert _incidents(database) == 1


def test_a_deployed_function_with_tokens_wants_one(deployed_triage) -> None:
    client, database = deployed_triage(api_tokens="token-a,token-b")
    assert client.post("/incidents", json=REPORT).status_code == 401
    assert client.post("/incidents", json=REPORT, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/incidents", json=REPORT, headers={"Authorization": "Bearer token-b"}).status_code == 202
    assert _incidents(database) == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_serve_on_loopback_without_tokens_stays_open_and_says_so(host: str) -> None:
    settings, warning = write_policy(Settings(), host)
    assert settings.open_writes is None and "SREO_API_TOKENS is not set" in warning


def test_serve_on_an_exposed_address_without_tokens_refuses_writes(tmp_path: Path) -> None:
    settings, warning = write_policy(Settings(home=tmp_path / "home"), "0.0.0.0")
    assert settings.open_writes is False and "answers 401" in warning
    with orchestrators(home=settings.home, open_writes=settings.open_writes) as start:
        client = start().client
        assert client.post("/incidents", json=REPORT).status_code == 401
        assert client.post("/events", content=b"{}", headers={"ce-specversion": "1.0"}).status_code == 401
        assert client.get("/incidents").status_code == 200


def test_serve_with_tokens_or_an_explicit_opening_keeps_the_settings() -> None:
    assert write_policy(Settings(api_tokens="t"), "0.0.0.0") == (Settings(api_tokens="t"), None)
    settings, warning = write_policy(Settings(open_writes=True), "0.0.0.0")
    assert settings.open_writes is True and "accept anyone" in warning


@pytest.mark.parametrize(("local_client", "opened"), [(True, True), (False, False)])
def test_the_mcp_server_lends_the_operator_token_only_to_a_local_client(tmp_path: Path, local_client: bool,
                                                                        opened: bool) -> None:
    import asyncio

    from mcp.server.mcpserver.exceptions import ToolError

    from functions._local.mcp_server import build

    with orchestrators(home=tmp_path / "home", api_tokens="operator-token") as start:
        orchestrator = start()
        server = build(orchestrator.host.runtime, local_client=local_client)
        call = server.call_tool("report_incident", {"text": "checkout is failing", "service": "checkout"})
        if opened:
            asyncio.run(call)
            assert _incidents(orchestrator.db) == 1
        else:
            with pytest.raises(ToolError, match="bearer token"):
                asyncio.run(call)
            assert _incidents(orchestrator.db) == 0
        assert asyncio.run(server.call_tool("list_incidents", {})) is not None
