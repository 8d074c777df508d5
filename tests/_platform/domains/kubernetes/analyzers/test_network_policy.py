"""network_policy_blocks: which caller -> Service calls the NetworkPolicies allow, by the API's semantics, and
which policy is blamed for a call they cut."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from support.kube_cluster import LONG_AGO, WINDOW_START, ts

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import lookup
from functions._platform.analyzers.registry import analyzer
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.network_policy import NetworkPolicyAnalyzer
from sreo_events.models import TimeWindow

CONTEXT = AnalysisContext.around("kubernetes", TimeWindow(start=WINDOW_START, end=WINDOW_START + timedelta(minutes=30)))
APPLIED = ts(5)  # inside the window


def workload(state: dict[str, list], name: str, namespace: str = "shop", env: dict[str, str] | None = None,
             ports: list[dict[str, Any]] | None = None, service_ports: list[dict[str, Any]] | None = None,
             ip: str | None = None) -> None:
    """A Deployment with one running pod (labels app=<name>) and, with `service_ports`, a Service over it."""
    labels = {"app": name}
    container = {"name": name, "image": f"registry.local/{name}:1", "ports": ports or [],
                 "env": [{"name": key, "value": value} for key, value in (env or {}).items()]}
    template = {"metadata": {"labels": labels}, "spec": {"containers": [container]}}
    state["deployments"].append({"kind": "Deployment", "metadata": {"name": name, "namespace": namespace},
                                 "spec": {"selector": {"matchLabels": labels}, "template": template}})
    state["pods"].append({"kind": "Pod", "metadata": {
        "name": f"{name}-7d9f8c6b5-x1", "namespace": namespace, "labels": {**labels, "pod-template-hash": "7d9f8c6b5"},
        "ownerReferences": [{"kind": "Deployment", "name": name, "controller": True}]},
        "spec": {"containers": [container]}, "status": {"phase": "Running", **({"podIP": ip} if ip else {})}})
    if service_ports:
        state["services"].append({"kind": "Service", "metadata": {"name": name, "namespace": namespace},
                                  "spec": {"selector": labels, "ports": service_ports}})


def policy(name: str, pod_selector: dict[str, Any], types: list[str], namespace: str = "shop",
           created: str = APPLIED, changed: str | None = None, **rules: list[dict[str, Any]]) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, "namespace": namespace, "creationTimestamp": created}
    if changed:
        metadata["managedFields"] = [{"manager": "kubectl", "operation": "Update", "time": changed}]
    return {"kind": "NetworkPolicy", "apiVersion": "networking.k8s.io/v1", "metadata": metadata,
            "spec": {"podSelector": pod_selector, "policyTypes": types, **rules}}


def shop(db_namespace: str = "shop", db_env: str = "postgres://orders@orders-db:5432/orders",
         db_ports: list[dict[str, Any]] | None = None) -> dict[str, list]:
    """frontend -> orders (HTTP 8080) -> orders-db (5432, container port named `postgres`)."""
    state: dict[str, list] = {"deployments": [], "pods": [], "services": [], "networkpolicies": [], "namespaces": []}
    workload(state, "frontend", env={"ORDERS_URL": "http://orders:8080"}, ip="10.1.0.10")
    workload(state, "orders", env={"DATABASE_URL": db_env}, ports=[{"name": "http", "containerPort": 8080}],
             service_ports=[{"name": "http", "port": 8080, "targetPort": 8080}], ip="10.1.0.20")
    workload(state, "orders-db", namespace=db_namespace, ip="10.1.0.30",
             ports=[{"name": "postgres", "containerPort": 5432}, {"name": "metrics", "containerPort": 9187}],
             service_ports=db_ports or [{"name": "postgres", "port": 5432, "targetPort": "postgres"}])
    return state


def findings(state: dict[str, list]) -> list:
    return NetworkPolicyAnalyzer().analyze(ClusterState(**state, queries={"networkpolicies": "list_networkpolicies({})"}),
                                           CONTEXT)


def blocked_pairs(state: dict[str, list]) -> dict[str, list[tuple[str, str, int]]]:
    return {f.subject: [(b["caller"], b["callee"], b["port"]) for b in f.evidence["blocked"]] for f in findings(state)}


DENY_INGRESS = policy("default-deny-ingress", {}, ["Ingress"])
FROM_ORDERS = {"from": [{"podSelector": {"matchLabels": {"app": "orders"}}}]}


def test_no_policy_or_no_selecting_policy_allows_everything() -> None:
    assert findings(shop()) == []
    state = shop()
    state["networkpolicies"] = [policy("deny-legacy", {"matchLabels": {"app": "legacy"}}, ["Ingress", "Egress"])]
    assert findings(state) == []


def test_a_default_deny_ingress_blocks_each_known_call_and_names_pair_port_and_why() -> None:
    state = shop()
    state["networkpolicies"] = [DENY_INGRESS]
    [finding] = findings(state)
    assert finding.kind == "network_policy_blocks" and finding.subject == "networkpolicy/default-deny-ingress"
    assert finding.severity == "critical" and finding.onset.isoformat().startswith("2024-05-01T10:05")
    assert [(b["caller"], b["callee"], b["port"], b["denied"]) for b in finding.evidence["blocked"]] == [
        ("frontend", "orders", 8080, ["ingress"]), ("orders", "orders-db", 5432, ["ingress"])]
    assert finding.evidence["blocked_callers"] == ["frontend", "orders"]
    assert "ingress to orders is isolated by default-deny-ingress" in finding.summary
    assert finding.evidence["onset_in"] == "window" and "networkpolicies" in finding.query


def test_policies_are_additive_an_allow_for_the_pair_and_port_lifts_the_block() -> None:
    state = shop()
    state["networkpolicies"] = [
        DENY_INGRESS,
        policy("allow-orders-to-db", {"matchLabels": {"app": "orders-db"}}, ["Ingress"],
               ingress=[{**FROM_ORDERS, "ports": [{"protocol": "TCP", "port": 5432}]}]),
        policy("allow-http", {}, ["Ingress"], ingress=[{"ports": [{"port": 8080}]}]),  # no peers: from anywhere
    ]
    assert findings(state) == []


def test_an_allow_rule_on_another_port_or_protocol_or_peer_still_blocks() -> None:
    for rule in ({**FROM_ORDERS, "ports": [{"port": 6432}]},
                 {**FROM_ORDERS, "ports": [{"protocol": "UDP", "port": 5432}]},
                 {"from": [{"podSelector": {"matchLabels": {"app": "frontend"}}}], "ports": [{"port": 5432}]}):
        state = shop()
        state["networkpolicies"] = [policy("db-ingress", {"matchLabels": {"app": "orders-db"}}, ["Ingress"],
                                           ingress=[rule])]
        assert blocked_pairs(state) == {"networkpolicy/db-ingress": [("orders", "orders-db", 5432)]}, rule


def test_port_ranges_and_named_ports_on_the_destination_pod() -> None:
    for ports, blocked in (([{"port": 5000, "endPort": 6000}], False), ([{"port": 5433, "endPort": 6000}], True),
                           ([{"port": "postgres"}], False), ([{"port": "metrics"}], True)):
        state = shop()
        state["networkpolicies"] = [policy("db-ingress", {"matchLabels": {"app": "orders-db"}}, ["Ingress"],
                                           ingress=[{**FROM_ORDERS, "ports": ports}])]
        assert bool(findings(state)) is blocked, ports


def test_an_egress_only_deny_in_the_callers_namespace_blocks_a_callee_elsewhere() -> None:
    state = shop(db_namespace="data", db_env="orders-db.data.svc.cluster.local:5432")
    state["networkpolicies"] = [
        policy("lock-egress", {}, ["Egress"], created=ts(base=LONG_AGO), changed=APPLIED, egress=[
            {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}],
             "ports": [{"protocol": "UDP", "port": 53}]},
            {"to": [{"podSelector": {}}]}]),  # anything inside shop
        policy("db-from-shop", {"matchLabels": {"app": "orders-db"}}, ["Ingress"], namespace="data",
               created=ts(base=LONG_AGO), ingress=[{"from": [{"namespaceSelector": {}}]}]),
    ]
    [finding] = findings(state)
    assert finding.subject == "networkpolicy/lock-egress"
    assert [(b["caller"], b["callee_namespace"], b["denied"]) for b in finding.evidence["blocked"]] == [
        ("orders", "data", ["egress"])]
    assert finding.onset.isoformat().startswith("2024-05-01T10:05")  # changed then, though created long before


def test_a_namespace_selector_reads_the_namespaces_labels() -> None:
    def state_with(labels: dict[str, str] | None) -> dict[str, list]:
        state = shop(db_namespace="data", db_env="orders-db.data.svc:5432")
        state["networkpolicies"] = [policy("db-from-team", {"matchLabels": {"app": "orders-db"}}, ["Ingress"],
                                           namespace="data", ingress=[{"from": [{
                                               "namespaceSelector": {"matchLabels": {"team": "orders"}},
                                               "podSelector": {"matchExpressions": [
                                                   {"key": "app", "operator": "In", "values": ["orders"]}]}}]}])]
        if labels is not None:
            state["namespaces"] = [{"kind": "Namespace", "metadata": {"name": "shop", "labels": labels}}]
        return state

    assert findings(state_with({"team": "orders"})) == []
    assert blocked_pairs(state_with({"team": "payments"})) == {"networkpolicy/db-from-team": [
        ("orders", "orders-db", 5432)]}
    assert findings(state_with(None)) == []  # shop's labels unknown: not held against the policy


def test_ip_blocks_are_matched_against_the_callee_pod_ip() -> None:
    for block, blocked in (({"cidr": "10.1.0.0/16"}, False), ({"cidr": "10.0.0.0/8", "except": ["10.1.0.0/24"]}, True),
                           ({"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}, True)):
        state = shop()
        state["networkpolicies"] = [policy("orders-egress", {"matchLabels": {"app": "orders"}}, ["Egress"],
                                           egress=[{"to": [{"ipBlock": block}]}])]
        assert bool(findings(state)) is blocked, block


def test_the_port_the_caller_names_is_the_one_checked() -> None:
    two_ports = [{"name": "postgres", "port": 5432, "targetPort": 5432}, {"name": "metrics", "port": 9187}]
    metrics_only = [policy("db-ingress", {"matchLabels": {"app": "orders-db"}}, ["Ingress"],
                           ingress=[{**FROM_ORDERS, "ports": [{"port": 9187}]}])]
    named = shop(db_ports=two_ports)
    named["networkpolicies"] = metrics_only
    assert blocked_pairs(named) == {"networkpolicy/db-ingress": [("orders", "orders-db", 5432)]}
    unnamed = shop(db_env="orders-db", db_ports=two_ports)  # no port named: blocked only if every port is
    unnamed["networkpolicies"] = metrics_only
    assert findings(unnamed) == []


def test_the_most_recently_changed_isolating_policy_is_blamed_the_plain_deny_among_equals() -> None:
    state = shop()
    state["networkpolicies"] = [
        policy("default-deny", {}, ["Ingress", "Egress"], created=ts(base=LONG_AGO)),
        policy("allow-http", {}, ["Ingress", "Egress"], created=ts(base=LONG_AGO), changed=APPLIED,
               ingress=[{"ports": [{"port": 8080}]}], egress=[{"ports": [{"port": 8080}]}]),
    ]
    assert list(blocked_pairs(state)) == ["networkpolicy/allow-http"]  # edited in the window: it dropped 5432
    for item in state["networkpolicies"]:
        item["metadata"].pop("managedFields", None)
        item["metadata"]["creationTimestamp"] = APPLIED
    assert list(blocked_pairs(state)) == ["networkpolicy/default-deny"]


def test_an_old_policy_is_only_a_warning_weighed_down() -> None:
    state = shop()
    state["networkpolicies"] = [policy("default-deny-ingress", {}, ["Ingress"], created=ts(base=LONG_AGO))]
    [finding] = findings(state)
    assert finding.severity == "warning" and finding.score < 0.9 and finding.evidence["onset_in"] == "before_baseline"


def test_the_kind_is_declared_with_actions_and_registered() -> None:
    kind = lookup("network_policy_blocks")
    assert kind is not None and kind.actions and kind.mitigation and kind.runbook_alerts
    assert any(rule.requires_approval and rule.risk == "high" for rule in kind.actions)
    assert isinstance(analyzer("kubernetes", "network_policy_blocks"), NetworkPolicyAnalyzer)


@pytest.mark.parametrize("types,has_egress,expected", [(None, False, {"ingress"}), (None, True, {"ingress", "egress"}),
                                                        (["Egress"], True, {"egress"})])
def test_policy_types_default_as_the_api_does(types, has_egress, expected) -> None:
    from functions._platform.domains.kubernetes.analyzers.network_policy import policy_types

    spec: dict[str, Any] = {"podSelector": {}}
    if types:
        spec["policyTypes"] = types
    if has_egress:
        spec["egress"] = []
    assert policy_types({"spec": spec}) == expected
