"""The traces MCP server through the real MCP client: in-process over files, and over stdio against Tempo."""

from __future__ import annotations

import asyncio
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from support.traces import tempo
from support.traces_scenario import WINDOW, TracesScenario

from functions._platform.config import Settings
from functions._platform.mcp.client import ToolCallError, ToolSession

SPAN = {"start": WINDOW.start.isoformat(), "end": WINDOW.end.isoformat()}


def calls(settings: Settings, *wanted: tuple[str, dict[str, Any]]) -> list[Any]:
    async def run() -> list[Any]:
        async with ToolSession("traces", settings) as tools:
            return [await tools.call(name, arguments) for name, arguments in wanted]

    return asyncio.run(run())


def test_tools_over_files(otlp_file: Path) -> None:
    settings = Settings(traces_files=str(otlp_file))
    services, found, stats = calls(
        settings, ("list_services", SPAN), ("search_traces", {"service": "checkout", "limit": 5, **SPAN}),
        ("edge_stats", SPAN))
    assert services["services"] == ["checkout", "frontend", "payments"]
    assert len(found["traces"]) == 5 and found["truncated"]
    assert found["traces"][0]["root_service"] == "frontend" and "spans" not in found["traces"][0]
    (one,) = calls(settings, ("get_trace", {"trace_id": found["traces"][0]["trace_id"]}))
    assert [s["kind"] for s in one["spans"]] == ["server", "client", "server", "client", "server", "client"]
    edges = {(row["caller"], row["callee"]): row for row in stats["edges"]}
    assert set(edges) == {("frontend", "checkout"), ("checkout", "payments"), ("payments", "postgres/payments-db")}
    assert edges[("checkout", "payments")]["calls"] == 20
    assert edges[("checkout", "payments")]["callee_own_time_p50_s"] > 0.3  # most of the window is slow
    assert not edges[("payments", "postgres/payments-db")]["traced_callee"]


def test_tools_over_stdio_against_tempo(scenario: TracesScenario) -> None:
    with tempo(scenario.spans) as (url, requests):
        command = f"{shlex.quote(sys.executable)} -m functions._platform.domains.traces.server --tempo-url {url}"
        (found,) = calls(Settings(mcp_targets={"traces": f"stdio:{command}"}),
                         ("search_traces", {"service": "payments", "include_spans": True, "limit": 100, **SPAN}))
    assert len(found["traces"]) == 20 and not found["truncated"]
    assert found["source"] == f"tempo: {url}"
    assert {len(trace["spans"]) for trace in found["traces"]} == {6}
    assert any(request.startswith("/api/search?") for request in requests)


def test_errors_are_tool_errors(tmp_path: Path) -> None:
    with pytest.raises(ToolCallError, match="no traces source configured"):
        calls(Settings(home=tmp_path), ("list_services", {}))
    with pytest.raises(ToolCallError, match="not found"):
        calls(Settings(traces_files=str(_empty(tmp_path))), ("get_trace", {"trace_id": "ab"}))
    with pytest.raises(ToolCallError, match="bad time"):
        calls(Settings(traces_files=str(_empty(tmp_path))), ("edge_stats", {"start": "yesterday"}))


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.json"
    path.write_text('{"resourceSpans": []}')
    return path
