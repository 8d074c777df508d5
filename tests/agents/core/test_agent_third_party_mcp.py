"""An agent pointed at someone else's MCP server, with a tool-name mapping, over a real stdio transport."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from functions._platform.config import Settings
from functions.agents.investigate import collect_evidence
from sreo_events.models import InvestigationRequested, TimeWindow

SERVER = Path(__file__).with_name("third_party_prometheus_mcp.py")


def test_metrics_agent_uses_a_third_party_prometheus_mcp_server(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path,
        mcp_targets={"metrics": f"stdio:{sys.executable} {SERVER}"},
        mcp_tool_names={"metrics": {"range_query": "execute_range_query", "label_values": "get_label_values"}},
    )
    now = datetime.now(UTC)
    request = InvestigationRequested(incident_id="inc-3p", domain="metrics", service="checkout",
                                     window=TimeWindow(start=now - timedelta(minutes=15), end=now),
                                     deadline=now + timedelta(minutes=1))
    evidence = collect_evidence(request, settings)
    assert evidence.status == "success", evidence.error
    spike = [f for f in evidence.findings if f.kind == "error_ratio_spike"]
    assert spike and spike[0].subject == "checkout"
    assert spike[0].query.startswith("range_query(")


def test_unmapped_tool_names_fail_with_the_exact_call(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, mcp_targets={"metrics": f"stdio:{sys.executable} {SERVER}"})
    now = datetime.now(UTC)
    request = InvestigationRequested(incident_id="inc-3p", domain="metrics", service="checkout",
                                     window=TimeWindow(start=now - timedelta(minutes=15), end=now),
                                     deadline=now + timedelta(minutes=1))
    evidence = collect_evidence(request, settings)
    assert evidence.status == "error" and "Unknown tool" in (evidence.error or "")
    assert evidence.failed_query and evidence.failed_query.startswith(("label_values(", "range_query("))
