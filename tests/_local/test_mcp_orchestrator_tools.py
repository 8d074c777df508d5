"""The orchestrator's MCP tools over stdio with the real MCP client: described parameters, enums, the server
version, approve_action (responder token, audited), run_scan and ingest_logs."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from importlib.metadata import version
from pathlib import Path

from mcp import Client, StdioServerParameters
from support.paths import REPO_ROOT


def _params(home: Path, **env: str) -> StdioServerParameters:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME")}
    return StdioServerParameters(command=sys.executable, args=["-m", "functions._local.cli", "mcp", "serve"],
                                 env={**keep, "SREO_HOME": str(home), "SREO_CORRELATION_DEADLINE_S": "15", **env},
                                 cwd=str(REPO_ROOT))


def _result(call) -> object:
    if call.structured_content is not None:
        return call.structured_content.get("result", call.structured_content)
    return json.loads("".join(part.text for part in call.content))


def test_tools_describe_their_parameters_and_enums(tmp_path: Path) -> None:
    async def talk():
        async with Client(_params(tmp_path), cache=None) as client:
            return client.server_info, (await client.list_tools()).tools

    info, tools = asyncio.run(talk())
    assert info.version == version("sre-orchestrator") and info.name == "sreo"
    by_name = {tool.name: tool for tool in tools}
    assert {"approve_action", "run_scan", "ingest_logs", "list_incidents", "get_report"} <= set(by_name)
    for tool in tools:
        for name, schema in tool.input_schema.get("properties", {}).items():
            assert schema.get("description"), f"{tool.name}.{name} has no description"

    def enum_of(tool: str, name: str) -> list[str]:
        schema = by_name[tool].input_schema["properties"][name]
        options = schema.get("enum") or [v for s in schema.get("anyOf", []) for v in s.get("enum", [])]
        return sorted(options)

    assert enum_of("list_incidents", "status") == ["correlated", "open", "reported", "resolved"]
    assert enum_of("report_incident", "severity") == ["critical", "info", "warning"]
    assert enum_of("get_report", "format") == ["html", "json", "markdown", "postmortem"]


def test_ingest_scan_and_an_audited_approval(tmp_path: Path) -> None:
    log = tmp_path / "auth.log"
    log.write_text("".join(f"Dec  2 10:{i // 60:02d}:{i % 60:02d} web sshd[1]: Failed password for root from "
                           f"203.0.113.7 port 22 ssh2\n" for i in range(60)))

    async def talk():
        async with Client(_params(tmp_path, SREO_RESPONDER_TOKENS="alice:r1"), cache=None) as client:
            ingested = _result(await client.call_tool("ingest_logs", {"path": str(log), "service": "web"}))
            scanned = _result(await client.call_tool("run_scan", {"since": "3650d"}))
            opened = _result(await client.call_tool("report_incident", {"text": "checkout returns 500s",
                                                                        "service": "checkout"}))
            refused = await client.call_tool("approve_action", {"incident_id": opened["id"], "action_id": "nope",
                                                                "responder_token": "wrong"})
            bad_enum = await client.call_tool("list_incidents", {"status": "closed"})
            return ingested, scanned, opened, refused, bad_enum

    ingested, scanned, opened, refused, bad_enum = asyncio.run(talk())
    assert ingested["indexed"] == 60 and ingested["services"] == {"web": 60}
    assert isinstance(scanned["threats"], list)
    assert opened["id"].startswith("inc-")
    assert refused.is_error and "responder token" in "".join(p.text for p in refused.content)
    assert bad_enum.is_error


def test_approve_action_records_who_and_through_what(tmp_path: Path) -> None:
    from test_cli_commands import sreo

    demo = sreo("demo", "--json", home=tmp_path)
    assert demo.returncode == 0, demo.stderr[-2000:]
    report = json.loads(demo.stdout)
    action = next(a for c in report["causes"] for a in c["actions"] if a["requires_approval"])

    async def talk():
        async with Client(_params(tmp_path, SREO_RESPONDER_TOKENS="alice:r1"), cache=None) as client:
            approved = _result(await client.call_tool("approve_action", {
                "incident_id": report["incident_id"], "action_id": action["id"], "responder_token": "r1",
                "comment": "rolling back"}))
            stored = _result(await client.call_tool("get_report", {"incident_id": report["incident_id"]}))
            return approved, stored

    approved, stored = asyncio.run(talk())
    assert approved
    audit = stored["approvals"][0]
    assert audit["action_id"] == action["id"] and audit["approver"] == "responder:alice"
    assert audit["client_address"] == "mcp:stdio" and audit["comment"] == "rolling back"
