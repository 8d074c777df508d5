"""HorizontalPodAutoscalers (autoscaling/v2: which workload each scales, and how far) are a namespaced kind the
Kubernetes source serves: by any kubectl spelling, from a snapshot, from the live API, and through the server's
`list_hpas` tool, KEDA's `keda-hpa-<scaledobject>` among them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from support.kube_cluster import healthy_cluster, hpa, in_namespace, write_snapshot
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
    cluster["objects"]["horizontalpodautoscalers"] = [
        hpa("checkout", "checkout", current=2, maximum=6, cpu=(70, 40)),
        hpa("keda-hpa-orders-worker", "orders-consumer", current=1, maximum=20, minimum=1, cpu=None, metrics=[
            {"type": "External", "external": {"metric": {"name": "s0-rabbitmq-orders"},
                                              "target": {"type": "AverageValue", "averageValue": "20"}}}]),
        in_namespace("payments", hpa("ledger", "ledger", current=2, maximum=4, target_kind="StatefulSet")),
    ]
    return cluster


@pytest.mark.parametrize("spelling", ["horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler",
                                      "hpa", "hpas"])
def test_every_spelling_names_the_kind(spelling: str) -> None:
    assert normalize_kind(spelling) == "horizontalpodautoscalers"


def test_the_agent_lists_them_namespace_by_namespace_like_workloads() -> None:
    listing = AGENT_LISTINGS["list_hpas"]
    assert listing.kind == "horizontalpodautoscalers"
    assert not listing.cluster_scoped and not listing.required and not listing.per_namespace
    assert "horizontalpodautoscalers" in KIND_FIELDS


def test_a_snapshot_serves_them_by_namespace_keda_ones_included(tmp_path: Path) -> None:
    provider = SnapshotProvider(write_snapshot(_cluster(), tmp_path / "snap"))
    shop = provider.list("hpa", namespace="shop")
    assert [h["metadata"]["name"] for h in shop] == ["checkout", "keda-hpa-orders-worker"]
    keda = shop[1]
    assert keda["apiVersion"] == "autoscaling/v2" and keda["kind"] == "HorizontalPodAutoscaler"
    assert keda["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "orders-consumer"}
    assert [h["metadata"]["name"] for h in provider.list("horizontalpodautoscalers")] == [
        "ledger", "checkout", "keda-hpa-orders-worker"]  # sorted by (namespace, name)


def test_the_live_api_is_asked_for_autoscaling_v2_in_the_namespace_and_across_it(tmp_path: Path) -> None:
    with RecordedApi(_cluster()) as api:
        provider = LiveProvider(context="recorded", kubeconfig=str(api.write_kubeconfig(tmp_path / "kubeconfig")))
        in_shop = provider.list("hpas", "shop")
        everywhere = provider.list("horizontalpodautoscalers")
    assert {h["kind"] for h in in_shop} == {"HorizontalPodAutoscaler"} and len(in_shop) == 2
    assert len(everywhere) == 3 and {h["apiVersion"] for h in everywhere} == {"autoscaling/v2"}
    assert [path.split("?")[0] for _, path, _ in api.requests] == [
        "/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers", "/apis/autoscaling/v2/horizontalpodautoscalers"]


def test_the_server_lists_them_through_its_tool(tmp_path: Path) -> None:
    settings = Settings(kube_snapshot=write_snapshot(_cluster(), tmp_path / "snap"), home=tmp_path)

    async def listed() -> tuple[list[str], list[dict]]:
        async with ToolSession("kubernetes", settings) as tools:
            return await tools.list_tools(), await tools.call("list_hpas", {"namespace": "shop"})

    names, items = asyncio.run(listed())
    assert "list_hpas" in names
    assert [(h["metadata"]["name"], h["spec"]["scaleTargetRef"]["name"]) for h in items] == [
        ("checkout", "checkout"), ("keda-hpa-orders-worker", "orders-consumer")]
