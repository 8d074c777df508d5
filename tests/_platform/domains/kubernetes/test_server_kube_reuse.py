"""The in-process kubernetes MCP server is built once per settings and still sees a rewritten snapshot."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from functions._platform.config import Settings
from functions._platform.mcp.client import ToolSession
from functions._platform.mcp.registry import build_server


def pod(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "shop"},
            "spec": {"containers": [{"name": "app", "image": "shop:1"}]}, "status": {"phase": "Running"}}


def write_snapshot(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "objects.json").write_text(json.dumps({"kind": "List", "items": [pod(n) for n in names]}))


async def pod_names(settings: Settings) -> list[str]:
    async with ToolSession("kubernetes", settings) as tools:
        return [item["metadata"]["name"] for item in await tools.call("list_pods", {"namespace": "shop"})]


def test_equal_settings_share_one_server_and_other_settings_get_their_own(tmp_path: Path) -> None:
    write_snapshot(tmp_path / "a", "one")
    write_snapshot(tmp_path / "b", "two")
    first = build_server("kubernetes", Settings(home=tmp_path, kube_snapshot=tmp_path / "a"))
    assert build_server("kubernetes", Settings(home=tmp_path, kube_snapshot=tmp_path / "a")) is first
    assert build_server("kubernetes", Settings(home=tmp_path, kube_snapshot=tmp_path / "b")) is not first


def test_a_rewritten_snapshot_is_read_again(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    settings = Settings(home=tmp_path, kube_snapshot=snapshot)
    write_snapshot(snapshot, "checkout-1")
    assert asyncio.run(pod_names(settings)) == ["checkout-1"]
    write_snapshot(snapshot, "checkout-1", "checkout-22")
    assert asyncio.run(pod_names(settings)) == ["checkout-1", "checkout-22"]


def test_sessions_in_parallel_threads_share_the_server(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    snapshot = tmp_path / "snapshot"
    write_snapshot(snapshot, *(f"pod-{n}" for n in range(5)))
    settings = Settings(home=tmp_path, kube_snapshot=snapshot)
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: asyncio.run(pod_names(settings)), range(8)))
    assert answers == [[f"pod-{n}" for n in range(5)]] * 8
