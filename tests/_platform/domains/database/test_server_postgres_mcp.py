"""The `postgres` MCP server over real transports (stdio subprocess and streamable HTTP) with ToolSession."""

from __future__ import annotations

import asyncio
import os
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.paths import REPO_ROOT
from support.pg_fixtures import investigation_request
from support.servers import Postgres, free_port, port_open, serving

from functions._platform.config import Settings
from functions._platform.mcp.client import ToolCallError, ToolSession
from functions.agents.database.agent import DatabaseAgent

SERVER_MODULE = "functions._platform.domains.database.server"
TOOLS = {"list_targets", "server_info", "connection_usage", "activity", "blocking_chains", "long_transactions",
         "long_queries", "idle_in_transaction", "database_stats", "replication"}


def _server_env(dsns: str, home: Path) -> dict[str, str]:
    return {"SREO_DIAG_POSTGRES_DSNS": dsns, "SREO_HOME": str(home)}


@pytest.fixture
def http_server(postgres_server: Postgres, tmp_path: Path) -> Iterator[tuple[str, str]]:
    dbname = postgres_server.new_database("mcp_http")
    port = free_port()
    env = os.environ | _server_env(postgres_server.url(dbname), tmp_path)
    command = [sys.executable, "-m", SERVER_MODULE, "--transport", "http", "--port", str(port)]
    with serving(command, tmp_path / "mcp-server.log", lambda: port_open(port), "the MCP HTTP server",
                 env=env, cwd=REPO_ROOT):
        yield f"http://127.0.0.1:{port}/mcp", dbname


def _stdio_target(postgres_server: Postgres, dbname: str, home: Path) -> str:
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in _server_env(postgres_server.url(dbname), home).items())
    return f"stdio:env {env} {shlex.quote(sys.executable)} -m {SERVER_MODULE}"


def _exercise(settings: Settings, dbname: str) -> dict:
    async def run() -> dict:
        async with ToolSession("postgres", settings) as tools:
            names = set(await tools.list_tools())
            targets = await tools.call("list_targets")
            usage = await tools.call("connection_usage", {"target": dbname})
            with pytest.raises(ToolCallError) as unknown:
                await tools.call("server_info", {"target": "postgres/nope"})
            result = await DatabaseAgent().investigate(investigation_request(), tools)
        return {"names": names, "targets": targets, "usage": usage, "unknown": unknown.value, "result": result}

    return asyncio.run(run())


def _check(outcome: dict, dbname: str) -> None:
    assert outcome["names"] == TOOLS
    assert [t["name"] for t in outcome["targets"]] == [f"postgres/{dbname}"]
    assert outcome["usage"]["max_connections"] == 20
    assert "unknown target" in outcome["unknown"].message
    assert outcome["result"].findings == []
    assert outcome["result"].checked[0].startswith(f"postgres/{dbname}: ")


def test_stdio_transport(postgres_server, tmp_path):
    dbname = postgres_server.new_database("mcp_stdio")
    settings = Settings(home=tmp_path, mcp_targets={"postgres": _stdio_target(postgres_server, dbname, tmp_path)})
    _check(_exercise(settings, dbname), dbname)


def test_streamable_http_transport(http_server, tmp_path):
    url, dbname = http_server
    _check(_exercise(Settings(home=tmp_path, mcp_targets={"postgres": url}), dbname), dbname)


def test_in_process_tool_errors_never_show_the_password(tmp_path):
    port = free_port()
    settings = Settings(home=tmp_path, diag_postgres_dsns=f"host=127.0.0.1 port={port} dbname=orders user=app "
                                                            "password=Pa55word connect_timeout=2")

    async def run() -> tuple[list, ToolCallError]:
        async with ToolSession("postgres", settings) as tools:
            targets = await tools.call("list_targets")
            with pytest.raises(ToolCallError) as failed:
                await tools.call("server_info", {"target": "orders"})
        return targets, failed.value

    targets, failure = asyncio.run(run())
    assert targets[0]["name"] == "postgres/orders" and "Pa55word" not in str(targets)
    assert "could not connect" in failure.message and "Pa55word" not in failure.message
