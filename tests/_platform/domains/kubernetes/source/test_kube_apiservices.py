"""APIServices (which Service serves each aggregated API, and whether it is Available) are a cluster-scoped kind the
Kubernetes source serves: by any kubectl spelling, from a snapshot, from the live API, and through the server's
`list_apiservices` tool."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from support.kube_cluster import api_service, healthy_cluster, write_snapshot
from support.recorded_api import RecordedApi

from functions._platform.config import Settings
from functions._platform.domains.kubernetes.analyzers.cluster_state import KIND_FIELDS
from functions._platform.domains.kubernetes.source import normalize_kind
from functions._platform.domains.kubernetes.source.live import LiveProvider
from functions._platform.domains.kubernetes.source.snapshot import SnapshotProvider
from functions._platform.domains.kubernetes.tools import AGENT_LISTINGS
from functions._platform.mcp.client import ToolSession

METRICS = api_service("metrics.k8s.io", "v1beta1", ("kube-system", "metrics-server"), available=False,
                      reason="FailedDiscoveryCheck", message="failing or missing response from https://10.1.0.9:10250")


def _cluster() -> dict:
    cluster = healthy_cluster()
    cluster["objects"]["apiservices"] = [api_service("apps", "v1", None), METRICS]
    return cluster


@pytest.mark.parametrize("spelling", ["apiservices", "apiservice", "APIService"])
def test_every_spelling_names_the_kind(spelling: str) -> None:
    assert normalize_kind(spelling) == "apiservices"


def test_the_agent_lists_them_across_the_cluster() -> None:
    listing = AGENT_LISTINGS["list_apiservices"]
    assert listing.kind == "apiservices" and listing.cluster_scoped and not listing.required
    assert "apiservices" in KIND_FIELDS


def test_a_snapshot_serves_them_whatever_namespace_is_asked(tmp_path: Path) -> None:
    provider = SnapshotProvider(write_snapshot(_cluster(), tmp_path / "snap"))
    assert [a["metadata"]["name"] for a in provider.list("apiservices", namespace="shop")] == [
        "v1.apps", "v1beta1.metrics.k8s.io"]
    (down,) = [a for a in provider.list("apiservice") if a["spec"].get("service")]
    assert down["apiVersion"] == "apiregistration.k8s.io/v1"
    assert down["status"]["conditions"][0]["reason"] == "FailedDiscoveryCheck"


def test_the_live_api_is_asked_for_the_cluster_scoped_list(tmp_path: Path) -> None:
    with RecordedApi(_cluster()) as api:
        provider = LiveProvider(context="recorded", kubeconfig=str(api.write_kubeconfig(tmp_path / "kubeconfig")))
        listed = provider.list("apiservices", "shop")
    assert {a["kind"] for a in listed} == {"APIService"} and len(listed) == 2
    assert [path.split("?")[0] for _, path, _ in api.requests] == ["/apis/apiregistration.k8s.io/v1/apiservices"]


def test_the_server_lists_them_through_its_tool(tmp_path: Path) -> None:
    settings = Settings(kube_snapshot=write_snapshot(_cluster(), tmp_path / "snap"), home=tmp_path)

    async def listed() -> list[dict]:
        async with ToolSession("kubernetes", settings) as tools:
            return await tools.call("list_apiservices", {})

    assert [a["metadata"]["name"] for a in asyncio.run(listed())] == ["v1.apps", "v1beta1.metrics.k8s.io"]
