"""The kubernetes MCP server over real transports (a stdio subprocess, streamable HTTP on loopback), reached by
ToolSession, the client the agents use."""

from __future__ import annotations

import asyncio
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.kube_cluster import NS, investigation, write_snapshot
from support.kube_scenarios import SCENARIOS
from support.paths import REPO_ROOT

from functions._platform.config import Settings
from functions._platform.mcp.client import ToolCallError, ToolSession
from functions.agents.investigate import collect_evidence

SERVER_MODULE = "functions._platform.domains.kubernetes.server"


@pytest.fixture()
def crashloop_snapshot(tmp_path: Path) -> Path:
    scenario = next(s for s in SCENARIOS if s.name == "crashloop")
    return write_snapshot(scenario.cluster(), tmp_path / "snapshot")


def stdio_target(snapshot: Path) -> str:
    # env: the stdio client passes only a safe default environment to the server process
    return (f"stdio:env SREO_KUBE_SNAPSHOT={shlex.quote(str(snapshot))} PYTHONPATH={shlex.quote(str(REPO_ROOT))} "
            f"{shlex.quote(sys.executable)} -m {SERVER_MODULE}")


async def exercise(settings: Settings) -> dict[str, Any]:
    async with ToolSession("kubernetes", settings) as tools:
        names = await tools.list_tools()
        pods = await tools.call("list_pods", {"namespace": NS, "label_selector": "app=payments"})
        nodes = await tools.call("list_nodes")
        log = await tools.call("get_logs", {"namespace": NS, "pod": pods[0]["metadata"]["name"], "previous": True})
        history = await tools.call("get_rollout_history", {"namespace": NS, "deployment": "checkout"})
        with pytest.raises(ToolCallError) as refused:
            await tools.call("get_logs", {"namespace": NS, "pod": "../../etc", "container": "passwd"})
    return {"names": names, "pods": pods, "nodes": nodes, "log": log, "history": history,
            "refused": refused.value}


def check(result: dict[str, Any]) -> None:
    assert "get_logs" in result["names"] and "list_pods" in result["names"]
    assert not any("secret" in name for name in result["names"])
    assert [p["metadata"]["labels"]["app"] for p in result["pods"]] == ["payments", "payments"]
    assert {n["metadata"]["name"] for n in result["nodes"]} == {"node-1", "node-2"}
    assert "STRIPE_API_KEY" in result["log"]["log"]
    assert [r["revision"] for r in result["history"]["revisions"]] == [1]
    assert result["history"]["revisions"][0]["images"] == {"checkout": "registry.local/checkout:1.0"}
    assert result["refused"].call.startswith("get_logs(")


def test_stdio_server_answers_the_tool_session(crashloop_snapshot: Path, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, mcp_targets={"kubernetes": stdio_target(crashloop_snapshot)})
    check(asyncio.run(exercise(settings)))


def test_agent_investigates_through_a_stdio_server(crashloop_snapshot: Path, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, mcp_targets={"kubernetes": stdio_target(crashloop_snapshot)})
    evidence = collect_evidence(investigation(), settings)
    assert evidence.status == "success", evidence.error
    kinds = {(f.kind, f.subject) for f in evidence.findings}
    assert ("pod_crashloop", "payments") in kinds and ("container_log_error", "payments") in kinds


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def http_server(crashloop_snapshot: Path, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {"SREO_KUBE_SNAPSHOT": str(crashloop_snapshot), "PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"}
    process = subprocess.Popen([sys.executable, "-m", SERVER_MODULE, "--transport", "http", "--port", str(port)],
                               env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"MCP server exited: {process.stderr.read().decode()[-2000:]}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("MCP server did not open its port")
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_streamable_http_server_answers_the_tool_session(http_server: str, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, mcp_targets={"kubernetes": http_server})
    check(asyncio.run(exercise(settings)))
