"""The logs MCP server over a real stdio transport, and the logs agent end to end."""

from __future__ import annotations

import asyncio
import shlex
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from support import logs_scenario as scenario

from functions._platform.config import Settings
from functions._platform.domains.logs.source.ingest import ingest_file
from functions._platform.domains.logs.source.parsers import ParseContext
from functions._platform.mcp.client import ToolSession
from functions._platform.search import get_search_backend
from functions.agents.investigate import collect_evidence
from sreo_events.models import InvestigationRequested, TimeWindow


@pytest.fixture
def home(tmp_path: Path) -> Path:
    settings = Settings(home=tmp_path / "home")
    backend = get_search_backend(settings)
    for path, service in scenario.write_all(tmp_path, incident=True):
        ingest_file(path, backend, service=service, context=ParseContext(now=scenario.END + timedelta(minutes=1)))
    backend.close()
    return settings.home


def _stdio_settings(home: Path) -> Settings:
    command = f"{shlex.quote(sys.executable)} -m functions._platform.domains.logs.server --home {shlex.quote(str(home))}"
    return Settings(home=home, mcp_targets={"logs": f"stdio:{command}"})


def _request(domain: str, service: str | None) -> InvestigationRequested:
    return InvestigationRequested(incident_id="inc-1", domain=domain, service=service,
                                  window=TimeWindow(start=scenario.INCIDENT_START, end=scenario.END),
                                  deadline=scenario.END + timedelta(minutes=5))


def test_tools_over_stdio(home: Path) -> None:
    async def run() -> dict:
        async with ToolSession("logs", _stdio_settings(home)) as tools:
            names = await tools.list_tools()
            window = {"start": scenario.INCIDENT_START.isoformat(), "end": scenario.END.isoformat()}
            return {
                "names": names,
                "services": await tools.call("list_services", {}),
                "search": await tools.call("search_logs", {"query": "payment gateway", "service": "api", **window}),
                "errors": await tools.call("error_counts", {"service": "web", "interval": "10m", **window}),
                "templates": await tools.call("top_templates", {"service": "api", "limit": 5, **window}),
            }

    result = asyncio.run(run())
    assert {"search_logs", "error_counts", "top_templates", "fetch_records", "check_certificates"} <= set(
        result["names"])
    assert {s["service"] for s in result["services"]["services"]} == {"web", "api", "sshd"}
    assert result["search"]["total"] == 30
    assert all("payment gateway" in hit["message"] for hit in result["search"]["hits"])
    buckets = result["errors"]["buckets"]
    assert len(buckets) == 6
    assert sum(b["errors"] for b in buckets[-2:]) > 10 * max(1, sum(b["errors"] for b in buckets[:3]))
    templates = [t["template"] for t in result["templates"]["templates"]]
    assert any("payment gateway timeout" in t for t in templates)


def test_bad_time_is_a_tool_error(home: Path) -> None:
    from functions._platform.mcp.client import ToolCallError

    async def run() -> None:
        async with ToolSession("logs", Settings(home=home)) as tools:
            await tools.call("error_counts", {"start": "yesterday"})

    with pytest.raises(ToolCallError) as caught:
        asyncio.run(run())
    assert "error_counts" in caught.value.call


def test_logs_agent_over_stdio_finds_the_incident(home: Path) -> None:
    evidence = collect_evidence(_request("logs", "web"), _stdio_settings(home))
    assert evidence.status == "success", evidence.error
    kinds = {(f.kind, f.subject) for f in evidence.findings}
    assert ("error_rate_spike", "web") in kinds
    assert all(f.query.startswith("fetch_records(") for f in evidence.findings)


def test_each_finding_quotes_the_fetch_that_read_its_service(home: Path) -> None:
    request = _request("logs", "web").model_copy(update={"related": ["api"]})
    evidence = collect_evidence(request, Settings(home=home))
    subjects = {f.subject for f in evidence.findings}
    assert {"web", "api"} <= subjects, subjects
    for finding in evidence.findings:
        assert f'"service": "{finding.subject}"' in finding.query, (finding.subject, finding.query)


def test_logs_agent_without_logs_is_no_data(tmp_path: Path) -> None:
    evidence = collect_evidence(_request("logs", "web"), Settings(home=tmp_path / "empty"))
    assert evidence.status == "no_data"


def test_auth_agent_in_process_finds_brute_force(home: Path) -> None:
    evidence = collect_evidence(_request("auth", None), Settings(home=home))
    assert evidence.status == "success", evidence.error
    kinds = {f.kind for f in evidence.findings}
    assert {"brute_force", "success_after_failures"} <= kinds
