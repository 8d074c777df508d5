"""NetworkPolicies are a kind the Kubernetes source serves: by any kubectl spelling, from a snapshot and from the
live API (a namespaced or a cluster-wide list), through the server's list tools; and label selectors as the API
reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.kube_cluster import healthy_cluster, meta, write_snapshot
from support.recorded_api import RecordedApi

from functions._platform.domains.kubernetes.analyzers.cluster_state import KIND_FIELDS, ClusterState
from functions._platform.domains.kubernetes.source import normalize_kind
from functions._platform.domains.kubernetes.source.live import LiveProvider
from functions._platform.domains.kubernetes.source.selectors import matches_label_selector, selector_keys
from functions._platform.domains.kubernetes.source.snapshot import SnapshotProvider
from functions._platform.domains.kubernetes.tools import AGENT_LISTINGS, LIST_TOOLS

DENY = {"kind": "NetworkPolicy", "apiVersion": "networking.k8s.io/v1",
        "metadata": {**meta("default-deny"), "managedFields": [
            {"manager": "argocd-controller", "operation": "Apply", "time": "2026-03-14T10:17:12Z",
             "fieldsV1": {"f:spec": {}}}]},
        "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}


def cluster_with_policy() -> dict:
    cluster = healthy_cluster()
    cluster["objects"]["networkpolicies"] = [DENY, {**DENY, "metadata": meta("other", namespace="legacy")}]
    return cluster


@pytest.mark.parametrize("spelling", ["networkpolicies", "networkpolicy", "NetworkPolicy", "netpol"])
def test_every_spelling_names_the_kind(spelling: str) -> None:
    assert normalize_kind(spelling) == "networkpolicies"


def test_the_agent_lists_them_and_the_namespaces_their_selectors_read() -> None:
    assert LIST_TOOLS["list_networkpolicies"].kind == "networkpolicies"
    assert not LIST_TOOLS["list_networkpolicies"].cluster_scoped and not LIST_TOOLS["list_networkpolicies"].required
    assert {"list_networkpolicies", "list_namespaces"} <= set(AGENT_LISTINGS)
    assert {"networkpolicies", "namespaces"} <= set(KIND_FIELDS)
    state = ClusterState()
    state.fill("networkpolicies", [DENY])
    assert state.networkpolicies == [DENY]


def test_a_snapshot_serves_them_per_namespace_with_slim_managed_fields(tmp_path: Path) -> None:
    provider = SnapshotProvider(write_snapshot(cluster_with_policy(), tmp_path / "snap"))
    [policy] = provider.list("netpol", namespace="shop")
    assert policy["kind"] == "NetworkPolicy" and policy["apiVersion"] == "networking.k8s.io/v1"
    assert policy["metadata"]["managedFields"] == [
        {"manager": "argocd-controller", "operation": "Apply", "time": "2026-03-14T10:17:12Z"}]
    assert len(provider.list("networkpolicies")) == 2


def test_the_live_api_is_asked_per_namespace_or_across_the_cluster(tmp_path: Path) -> None:
    with RecordedApi(cluster_with_policy()) as api:
        provider = LiveProvider(context="recorded", kubeconfig=str(api.write_kubeconfig(tmp_path / "kubeconfig")))
        assert [p["metadata"]["name"] for p in provider.list("networkpolicies", "shop")] == ["default-deny"]
        assert len(provider.list("networkpolicies")) == 2
    paths = [path.split("?")[0] for _, path, _ in api.requests]
    assert paths == ["/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies",
                     "/apis/networking.k8s.io/v1/networkpolicies"]
    assert {method for method, _, _ in api.requests} == {"GET"}


@pytest.mark.parametrize("selector,labels,expected", [
    ({}, {"app": "x"}, True),
    (None, {"app": "x"}, False),
    ({"matchLabels": {"app": "x"}}, {"app": "x", "tier": "web"}, True),
    ({"matchLabels": {"app": "x"}}, {"app": "y"}, False),
    ({"matchExpressions": [{"key": "app", "operator": "In", "values": ["x", "y"]}]}, {"app": "y"}, True),
    ({"matchExpressions": [{"key": "app", "operator": "In", "values": ["x"]}]}, {}, False),
    ({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["x"]}]}, {}, True),
    ({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["x"]}]}, {"app": "x"}, False),
    ({"matchExpressions": [{"key": "canary", "operator": "Exists"}]}, {"canary": ""}, True),
    ({"matchExpressions": [{"key": "canary", "operator": "DoesNotExist"}]}, {"canary": ""}, False),
    ({"matchLabels": {"app": "x"}, "matchExpressions": [{"key": "tier", "operator": "Exists"}]}, {"app": "x"}, False),
])
def test_label_selectors_follow_the_api(selector, labels, expected) -> None:
    assert matches_label_selector(selector, labels) is expected


def test_selector_keys() -> None:
    assert selector_keys({"matchLabels": {"a": "1"}, "matchExpressions": [{"key": "b", "operator": "Exists"}]}) == {
        "a", "b"}
