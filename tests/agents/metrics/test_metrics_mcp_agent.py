"""The metrics MCP server over real transports, and the metrics agent end to end."""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from support.metrics_scenario import SERVICES, Scenario
from support.servers import free_port, port_open, serving

from functions._platform.config import Settings
from functions._platform.mcp.client import ToolCallError, ToolSession
from functions.agents.investigate import collect_evidence
from functions.agents.metrics.agent import MetricsAgent
from sreo_events.models import InvestigationRequested

pytestmark = pytest.mark.integration
SERVER_MODULE = "functions._platform.domains.metrics.server"


def request(scenario: Scenario, service: str | None, related: list[str] | None = None) -> InvestigationRequested:
    return InvestigationRequested(incident_id="inc-1", domain="metrics", service=service, window=scenario.window,
                                  related=related or [], started_at=scenario.window.start,
                                  deadline=scenario.window.end + timedelta(minutes=5))


async def exercise(settings: Settings, scenario: Scenario) -> None:
    async with ToolSession("metrics", settings) as tools:
        assert set(await tools.list_tools()) == {"instant_query", "range_query", "list_series", "label_values"}
        values = await tools.call("label_values", {"label": "service", "match": "http_requests_total",
                                                   "start": str(scenario.start), "end": str(scenario.end)})
        assert values["values"] == sorted(SERVICES)
        answer = await tools.call("range_query", {"query": 'http_requests_total{service="cart", code="200"}',
                                                  "start": str(scenario.end - 600), "end": str(scenario.end),
                                                  "step": "5m"})
        (series,) = answer["series"]
        assert [t for t, _ in series["points"]] == [scenario.end - 600, scenario.end - 300, scenario.end]
        listed = await tools.call("list_series", {"match": 'kube_pod_container_status_restarts_total',
                                                  "start": str(scenario.start), "end": str(scenario.end)})
        assert sorted(labels["container"] for labels in listed["labels"]) == sorted(SERVICES)
        instant = await tools.call("instant_query", {"query": 'node_filesystem_size_bytes{instance="node-2:9100"}',
                                                     "time": scenario.window.start.isoformat()})
        assert instant["series"][0]["points"][0][1] == 100 * 1024**3
        with pytest.raises(ToolCallError) as failure:
            await tools.call("range_query", {"query": "sum(", "start": "0", "end": "60"})
        assert '"query": "sum("' in failure.value.call


def test_errors_are_tool_errors(tmp_path: Path) -> None:
    async def call(settings: Settings, name: str, arguments: dict) -> None:
        async with ToolSession("metrics", settings) as tools:
            await tools.call(name, arguments)

    with pytest.raises(ToolCallError, match="no metrics source configured"):
        asyncio.run(call(Settings(home=tmp_path), "label_values", {"label": "job"}))
    empty = tmp_path / "empty.prom"
    empty.write_text("# EOF\n")
    for arguments, message in (({"start": "yesterday"}, "bad time"), ({"start": "120", "end": "60"}, "start is after"),
                               ({"step": "0s"}, "step must be positive")):
        with pytest.raises(ToolCallError, match=message):
            asyncio.run(call(Settings(metrics_files=str(empty)), "range_query", {"query": "up", **arguments}))


def test_mcp_server_over_stdio(prometheus_url: str, scenario: Scenario):
    command = f"{sys.executable} -m {SERVER_MODULE} --transport stdio --prometheus-url {prometheus_url}"
    asyncio.run(exercise(Settings(mcp_targets={"metrics": f"stdio:{command}"}), scenario))


def test_mcp_server_over_streamable_http(openmetrics_file: Path, scenario: Scenario, tmp_path: Path):
    port = free_port()
    command = [sys.executable, "-m", SERVER_MODULE, "--transport", "http", "--port", str(port),
               "--metrics-files", str(openmetrics_file)]
    with serving(command, tmp_path / "server.log", lambda: port_open(port), "the MCP HTTP server"):
        asyncio.run(exercise(Settings(mcp_targets={"metrics": f"http://127.0.0.1:{port}/mcp"}), scenario))


def test_agent_investigates_the_service_and_what_the_graph_relates_to_it(prometheus_url: str, scenario: Scenario):
    evidence = collect_evidence(request(scenario, "checkout", ["cart"]), Settings(prometheus_url=prometheus_url))
    assert evidence.status == "success", evidence.error
    kinds = {(f.kind, f.subject) for f in evidence.findings}
    assert kinds == {("latency_creep", "checkout"), ("resource_saturation", "node/node-1"),
                     ("resource_saturation", "cart"), ("metric_change", "cart")}
    creep = next(f for f in evidence.findings if f.kind == "latency_creep")
    assert creep.query.startswith("range_query(") and "checkout" in creep.query
    assert "checkout: error ratio within its baseline (error_ratio_spike)" in evidence.checked


def test_agent_without_a_graph_covers_every_service_the_source_knows(prometheus_url: str, scenario: Scenario):
    evidence = collect_evidence(request(scenario, "checkout"), Settings(prometheus_url=prometheus_url))
    assert {f.subject for f in evidence.findings} == {"cart", "checkout", "payments", "node/node-1"}


def test_agent_without_a_service_scans_every_known_service(openmetrics_file: Path, scenario: Scenario):
    evidence = collect_evidence(request(scenario, None), Settings(metrics_files=str(openmetrics_file)))
    assert {f.subject for f in evidence.findings} == {"cart", "checkout", "payments", "node/node-1"}


def test_agent_without_a_source_answers_no_data(scenario: Scenario):
    settings = Settings(prometheus_url=None, metrics_files=None)
    assert not MetricsAgent().configured(settings)
    assert collect_evidence(request(scenario, "checkout"), settings).status == "no_data"


def test_agent_reports_the_failed_query_when_prometheus_is_down(scenario: Scenario):
    evidence = collect_evidence(request(scenario, "checkout"), Settings(prometheus_url="http://127.0.0.1:9"))
    assert evidence.status == "error"
    assert "unreachable" in evidence.error
    assert evidence.failed_query.startswith("label_values(")
