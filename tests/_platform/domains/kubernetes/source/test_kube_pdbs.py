"""PodDisruptionBudgets (policy/v1: which pods a drain may evict, and how many now) are a namespaced kind the
Kubernetes source serves: by any kubectl spelling, from a snapshot, from the live API, and through the server's
`list_pdbs` tool."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from support.kube_cluster import healthy_cluster, in_namespace, pdb, write_snapshot
from support.recorded_api import RecordedApi

from functions._platform.config import Settings
from functions._platform.domains.kubernetes.analyzers.cluster_state import KIND_FIELDS
from functions._platform.domains.kubernetes.source import normalize_kind
from functions._platform.domains.kubernetes.source.live import LiveProvider
from functions._platform.domains.kubernetes.source.snapshot import SnapshotProvider
from functions._platform.domains.kubernetes.tools import AGENT_LISTINGS
from functions._platform.mcp.client import ToolSession


def _cluster() -> dict:
    cluster = healthy_cluster()
    cluster["objects"]["poddisruptionbudgets"] = [
        pdb("checkout", {"app": "checkout"}, expected=2, max_unavailable=1),
        in_namespace("data", pdb("zookeeper", {"app": "zookeeper"}, expected=3)),
    ]
    return cluster


@pytest.mark.parametrize("spelling", ["poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", "pdb",
                                      "pdbs"])
def test_every_spelling_names_the_kind(spelling: str) -> None:
    assert normalize_kind(spelling) == "poddisruptionbudgets"


def test_the_agent_lists_them_namespace_by_namespace_like_workloads() -> None:
    listing = AGENT_LISTINGS["list_pdbs"]
    assert listing.kind == "poddisruptionbudgets" and "poddisruptionbudgets" in KIND_FIELDS
    assert not listing.cluster_scoped and not listing.required and not listing.per_namespace


def test_a_snapshot_serves_them_by_namespace(tmp_path: Path) -> None:
    provider = SnapshotProvider(write_snapshot(_cluster(), tmp_path / "snap"))
    (zookeeper,) = provider.list("pdb", namespace="data")
    assert zookeeper["apiVersion"] == "policy/v1" and zookeeper["kind"] == "PodDisruptionBudget"
    assert zookeeper["status"]["disruptionsAllowed"] == 0 and zookeeper["spec"]["minAvailable"] == 3
    assert [b["metadata"]["name"] for b in provider.list("poddisruptionbudgets")] == ["zookeeper", "checkout"]


def test_the_live_api_is_asked_for_policy_v1_in_the_namespace_and_across_it(tmp_path: Path) -> None:
    with RecordedApi(_cluster()) as api:
        provider = LiveProvider(context="recorded", kubeconfig=str(api.write_kubeconfig(tmp_path / "kubeconfig")))
        in_data = provider.list("pdbs", "data")
        everywhere = provider.list("poddisruptionbudgets")
    assert [b["metadata"]["name"] for b in in_data] == ["zookeeper"] and len(everywhere) == 2
    assert {b["apiVersion"] for b in everywhere} == {"policy/v1"}
    assert [path.split("?")[0] for _, path, _ in api.requests] == [
        "/apis/policy/v1/namespaces/data/poddisruptionbudgets", "/apis/policy/v1/poddisruptionbudgets"]


def test_the_server_lists_them_through_its_tool(tmp_path: Path) -> None:
    settings = Settings(kube_snapshot=write_snapshot(_cluster(), tmp_path / "snap"), home=tmp_path)

    async def listed() -> tuple[list[str], list[dict]]:
        async with ToolSession("kubernetes", settings) as tools:
            return await tools.list_tools(), await tools.call("list_pdbs", {"namespace": "shop"})

    names, items = asyncio.run(listed())
    assert "list_pdbs" in names
    assert [(b["metadata"]["name"], b["status"]["disruptionsAllowed"]) for b in items] == [("checkout", 1)]
