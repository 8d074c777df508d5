"""Findings' subjects land on graph nodes; graphs from several sources merge on shared names."""

from __future__ import annotations

import pytest
from topology_cluster import write_snapshot

from functions._platform.domains.kubernetes.topology import KubernetesBuilder
from functions._platform.topology import Graph, TopologyInputs, attach, merge_graphs


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    snapshot = write_snapshot(tmp_path_factory.mktemp("attach") / "snap")
    return KubernetesBuilder().collect(TopologyInputs(kube_snapshot=snapshot))


@pytest.mark.parametrize(("subject", "node"), [
    ("payments", "payments"),  # exact
    ("payments-v2", "payments"),  # the Deployment's name -> the Service fronting it
    ("deployment/payments-v2", "payments"),
    ("shop/payments-v2", "payments"),
    ("payments-v2-5f6b7c8d9-qwrtz", "payments"),  # a pod name
    ("orders-db-0", "orders-db"),  # a StatefulSet pod
    ("node/node-b", "node/node-b"),
    ("node-b", "node/node-b"),
    ("postgres/orders", "postgres/orders"),
    ("postgres/orders@orders-db:5432", "postgres/orders"),
    ("orders-db:5432", "postgres/orders"),  # a DB host and port -> the database
    ("http://payments:8080/charge", "payments"),
    ("payments.shop.svc.cluster.local", "payments"),
    ("api.stripe.com", "external/api.stripe.com"),
    ("search-canary", "search-canary"),
])
def test_attach(shop: Graph, subject: str, node: str) -> None:
    assert attach(shop, [subject]) == {subject: node}


def test_unknown_subjects_are_left_out(shop: Graph) -> None:
    assert attach(shop, ["web-proxy", "cluster", "payments"]) == {"payments": "payments"}


def test_merge_folds_a_trace_name_into_the_node_that_holds_it_as_alias() -> None:
    kubernetes = Graph()
    kubernetes.add_node("payments", "service", aliases=["payments-v2"], source="kubernetes")
    kubernetes.add_node("checkout", "service", source="kubernetes")
    kubernetes.add_edge("checkout", "payments", "calls", "kubernetes")
    traces = Graph()
    traces.add_node("checkout", "service", source="traces")
    traces.add_node("payments-v2", "service", source="traces")
    traces.add_edge("checkout", "payments-v2", "calls", "traces", {"requests": 5})
    merged = merge_graphs({"traces": traces, "kubernetes": kubernetes})
    assert set(merged.nodes) == {"payments", "checkout"}
    assert {(e.caller, e.callee, e.source) for e in merged.edges} == {
        ("checkout", "payments", "kubernetes"), ("checkout", "payments", "traces")}
    assert merged.pairs() == [("checkout", "payments")]
    assert merged.nodes["payments"].sources == ["kubernetes", "traces"]


def test_merge_keeps_a_node_the_first_source_holds_as_a_node() -> None:
    kubernetes = Graph()
    kubernetes.add_node("orders-db", "service", source="kubernetes")
    kubernetes.add_node("postgres/orders", "database", aliases=["orders-db"], source="kubernetes")
    kubernetes.add_edge("postgres/orders", "orders-db", "runs_on", "kubernetes")
    declared = Graph()
    declared.add_node("orders-db", "service", source="topology_file")
    merged = merge_graphs({"kubernetes": kubernetes, "topology_file": declared})
    assert {"orders-db", "postgres/orders"} <= set(merged.nodes)
    assert merged.pairs() == [("postgres/orders", "orders-db")]
