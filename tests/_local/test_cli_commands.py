"""The `sreo` command line, run as a user would: separate processes on one embedded store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

ROOT = REPO_ROOT


def sreo(*args: str, home: Path, timeout: float = 180, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SREO_HOME": str(home), **env}
    environment.pop("SREO_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "functions._local.cli", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_demo_finds_the_known_root_cause_with_evidence_from_three_domains(tmp_path: Path) -> None:
    result = sreo("demo", "--json", "--workdir", str(tmp_path / "demo"), home=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    top = report["causes"][0]
    assert top["component"] == "payments"
    assert top["kind"] in {"recent_rollout", "pod_crashloop", "container_log_error"}
    assert any(f["kind"] == "recent_rollout" for f in top["evidence"])
    domains_backing = {answer for answer in report["domains"]["answered"]}
    assert {"kubernetes", "logs", "metrics"} <= domains_backing
    assert "matches the scenario's known root cause" in result.stderr


def test_incident_report_in_process_then_show_from_another_process(tmp_path: Path) -> None:
    reported = sreo("incident", "report", "orders API returns 500s", "--service", "orders", "--json",
                    home=tmp_path, SREO_CORRELATION_DEADLINE_S="20")
    assert reported.returncode == 0, reported.stderr[-2000:]
    report = json.loads(reported.stdout)
    assert report["service"] == "orders" and "causes" in report
    shown = sreo("incident", "show", report["incident_id"], "--format", "md", home=tmp_path)
    assert shown.returncode == 0 and shown.stdout.startswith("# orders API returns 500s")
    missing = sreo("incident", "show", "inc-nope", home=tmp_path)
    assert missing.returncode == 1 and "no incident" in missing.stderr


def test_alerts_send_rejects_a_bad_file_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "alert.json"
    bad.write_text('{"version": "4", "alerts": []}')
    result = sreo("alerts", "send", str(bad), home=tmp_path)
    assert result.returncode == 1 and "invalid field" in result.stderr
    bad.write_text("not json")
    assert sreo("alerts", "send", str(bad), home=tmp_path).returncode == 2


def test_dead_letters_and_db_commands(tmp_path: Path) -> None:
    listing = sreo("events", "dead-letters", "--json", home=tmp_path)
    assert listing.returncode == 0 and json.loads(listing.stdout) == []
    heads = sreo("db", "heads", home=tmp_path).stdout.strip()
    assert sreo("db", "upgrade", home=tmp_path).stdout.strip() == heads
    assert sreo("db", "current", home=tmp_path).stdout.strip() == heads


@pytest.mark.parametrize("command", [["--help"], ["incident", "--help"], ["demo", "--help"]])
def test_help_explains(tmp_path: Path, command: list[str]) -> None:
    result = sreo(*command, home=tmp_path)
    assert result.returncode == 0 and "Usage" in result.stdout


def test_mcp_serve_speaks_mcp_over_stdio(tmp_path: Path) -> None:
    import asyncio

    from functions._platform.config import Settings
    from functions._platform.mcp.client import ToolSession

    settings = Settings(home=tmp_path, mcp_targets={
        "runbooks": f"stdio:{sys.executable} -m functions._local.cli mcp serve runbooks"})

    async def call() -> list[str]:
        async with ToolSession("runbooks", settings) as tools:
            return await tools.list_tools()

    os.environ["SREO_HOME"] = str(tmp_path)
    try:
        assert asyncio.run(call())
    finally:
        os.environ.pop("SREO_HOME")


def test_orchestrator_mcp_server_reports_and_reads_incidents(tmp_path: Path) -> None:
    import asyncio

    from functions._platform.config import Settings
    from functions._platform.mcp.client import ToolSession

    settings = Settings(home=tmp_path, mcp_targets={
        "orchestrator": f"stdio:{sys.executable} -m functions._local.cli mcp serve orchestrator"})

    async def conversation() -> tuple[list[str], dict, dict]:
        async with ToolSession("orchestrator", settings) as tools:
            names = await tools.list_tools()
            opened = await tools.call("report_incident", {"text": "checkout is failing", "service": "checkout"})
            for _ in range(100):  # the list is report's: the incident is in it once incident.reported reached report
                listed = await tools.call("list_incidents", {})
                if listed["items"]:
                    break
                await asyncio.sleep(0.1)
            return names, opened, listed

    os.environ.update(SREO_HOME=str(tmp_path), SREO_CORRELATION_DEADLINE_S="20")
    try:
        names, opened, listed = asyncio.run(conversation())
    finally:
        for key in ("SREO_HOME", "SREO_CORRELATION_DEADLINE_S"):
            os.environ.pop(key)
    assert {"report_incident", "get_report", "list_threats", "search_runbooks"} <= set(names)
    assert listed["items"][0]["id"] == opened["id"]


def test_show_formats_and_approval_from_the_command_line(tmp_path: Path) -> None:
    demo = sreo("demo", "--json", "--workdir", str(tmp_path / "demo"), home=tmp_path)
    report = json.loads(demo.stdout)
    home = tmp_path  # the demo keeps its store under SREO_HOME
    incident_id = report["incident_id"]
    page = sreo("incident", "show", incident_id, "--format", "html", home=home)
    assert page.returncode == 0 and page.stdout.lstrip().lower().startswith("<!doctype html")
    postmortem = sreo("incident", "show", incident_id, "--format", "postmortem", home=home)
    assert postmortem.returncode == 0 and "Timeline" in postmortem.stdout
    action = next(a for c in report["causes"] for a in c["actions"] if a["requires_approval"])
    refused = sreo("incident", "approve", incident_id, action["id"], home=home)
    assert refused.returncode == 1 and "SREO_RESPONDER_TOKENS" in refused.stderr
    approved = sreo("incident", "approve", incident_id, action["id"], "--comment", "rolling back", "--token", "r1",
                    home=home, SREO_RESPONDER_TOKENS="alice:r1")
    assert approved.returncode == 0, approved.stderr[-1500:]
    again = sreo("incident", "show", incident_id, "--format", "json", home=home)
    audit = json.loads(again.stdout)["approvals"][0]
    assert audit["action_id"] == action["id"] and audit["approver"] == "responder:alice"
    assert audit["client_address"].startswith("local:") and "testclient" not in audit["client_address"]
