"""The Kubernetes builder, from a snapshot the test writes (read through the real snapshot provider), and from
the live API (a loopback server answering recorded JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.recorded_api import RecordedApi
from topology_cluster import SECRET, pod, service, shop_objects, workload, write_snapshot

from functions._platform.domains.kubernetes.source.kinds import plural_of_object_kind
from functions._platform.domains.kubernetes.topology import KubernetesBuilder
from functions._platform.topology import Graph, TopologyInputs, TopologySourceError


def build(tmp_path: Path, objects: list | None = None) -> Graph:
    return KubernetesBuilder().collect(TopologyInputs(kube_snapshot=write_snapshot(tmp_path / "snap", objects)))


def edge_set(graph: Graph) -> set[tuple[str, str, str]]:
    return {(edge.caller, edge.kind, edge.callee) for edge in graph.edges}


@pytest.fixture
def shop(tmp_path: Path) -> Graph:
    return build(tmp_path)


def test_service_fronting_one_workload_takes_the_service_name(shop: Graph) -> None:
    assert shop.nodes["payments"].kind == "service"
    assert "payments-v2" in shop.nodes["payments"].aliases
    assert "payments-v2" not in shop.nodes
    assert shop.nodes["payments"].attributes["workload"] == {"kind": "Deployment", "name": "payments-v2"}


def test_service_over_several_workloads_selects_each(shop: Graph) -> None:
    assert {("search", "selects", "search-stable"), ("search", "selects", "search-canary")} <= edge_set(shop)
    assert shop.nodes["search-canary"].kind == "workload"


def test_env_and_configmap_references_become_calls(shop: Graph) -> None:
    edges = edge_set(shop)
    assert ("checkout", "calls", "payments") in edges  # http://payments:8080 in env
    assert ("checkout", "calls", "inventory") in edges  # FQDN in an envFrom ConfigMap
    assert ("checkout", "calls", "postgres/orders") in edges  # DSN in env
    assert ("postgres/orders", "runs_on", "orders-db") in edges  # the DSN's host is a Service in the cluster
    assert ("checkout", "calls", "redis/cache") in edges  # URL inside a ConfigMap file
    assert ("checkout", "calls", "external/api.stripe.com") in edges
    assert ("mailer", "calls", "external/smtp.sendgrid.net") in edges  # host:port
    assert ("auditor", "calls", "checkout") in edges  # `checkout.shop` from another namespace


def test_a_service_named_like_an_outside_hosts_first_label_is_not_called(shop: Graph) -> None:
    assert not any(callee == "api" for _, _, callee in edge_set(shop))


def test_database_node_carries_its_host_as_alias_and_no_password(shop: Graph) -> None:
    database = shop.nodes["postgres/orders"]
    assert database.kind == "database"
    assert {"orders-db", "orders-db:5432"} <= set(database.aliases)
    assert database.attributes["database"] == "orders"
    assert SECRET not in json.dumps(shop.model_dump())


def test_ingress_routes_and_pods_place_workloads_on_nodes(shop: Graph) -> None:
    edges = edge_set(shop)
    assert ("ingress/shop-web", "routes_to", "checkout") in edges
    assert {("payments", "runs_on", "node/node-a"), ("payments", "runs_on", "node/node-b"),
            ("orders-db", "runs_on", "node/node-b")} <= edges
    assert shop.nodes["node/node-a"].attributes["zone"] == "eu-west-1a"


def test_evidence_names_where_a_reference_was_found(shop: Graph) -> None:
    edge = next(e for e in shop.edges if (e.caller, e.callee) == ("checkout", "payments"))
    assert edge.source == "kubernetes"
    assert edge.evidence["references"][0]["where"] == "env checkout/PAYMENTS_URL"


def test_ingress_to_a_missing_service_still_shows(tmp_path: Path) -> None:
    objects = [o for o in shop_objects() if not (o["kind"] == "Service" and o["metadata"]["name"] == "checkout")]
    graph = build(tmp_path, objects)
    assert ("ingress/shop-web", "routes_to", "checkout") in edge_set(graph)
    assert graph.nodes["checkout"].attributes.get("missing") is True


def test_two_services_on_one_workload(tmp_path: Path) -> None:
    objects = [workload("Deployment", "payments", "payments"), service("payments", {"app": "payments"}),
               service("payments-headless", {"app": "payments"}, clusterIP="None"),
               pod("payments", "payments", "node-a")]
    graph = build(tmp_path, objects)
    assert graph.nodes["payments"].kind == "service"
    assert ("payments-headless", "selects", "payments") in edge_set(graph)
    assert ("payments", "runs_on", "node/node-a") in edge_set(graph)


def test_a_workload_says_which_hpa_scales_it(tmp_path: Path) -> None:
    keda = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "keda-hpa-orders", "namespace": "shop"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "orders-consumer"},
                     "minReplicas": 1, "maxReplicas": 20}}
    objects = [workload("Deployment", "orders-consumer", "orders-consumer"), keda,
               workload("Deployment", "payments", "payments"), service("payments", {"app": "payments"})]
    graph = build(tmp_path, objects)
    assert graph.nodes["orders-consumer"].attributes["autoscaled_by"] == ["keda-hpa-orders"]
    assert "autoscaled_by" not in graph.nodes["payments"].attributes


def test_unreadable_snapshot_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(TopologySourceError, match="kubernetes"):
        KubernetesBuilder().collect(TopologyInputs(kube_snapshot=tmp_path / "missing"))


def test_a_cronjob_calls_what_its_job_template_points_at(tmp_path: Path) -> None:
    job = workload("Deployment", "invoices", "invoices", env={"DB_URL": "postgres://app@orders-db:5432/orders"})
    template = job["spec"]["template"]
    cronjob = {"kind": "CronJob", "apiVersion": "batch/v1", "metadata": job["metadata"],
               "spec": {"schedule": "0 10 * * *", "jobTemplate": {"spec": {"template": template}}}}
    graph = build(tmp_path, [*shop_objects(), cronjob])
    assert graph.nodes["invoices"].attributes["workload"]["kind"] == "CronJob"
    assert ("invoices", "calls", "postgres/orders") in edge_set(graph)


def _recorded(objects: list[dict]) -> dict:
    by_plural: dict[str, list[dict]] = {}
    for obj in objects:
        if plural := plural_of_object_kind(obj["kind"]):
            by_plural.setdefault(plural, []).append(obj)
    return {"objects": by_plural, "logs": {}}


@pytest.mark.parametrize(("watched", "listed"), [
    ((), []),
    (("shop", "ops"), ["/api/v1/namespaces/shop/configmaps", "/api/v1/namespaces/ops/configmaps"]),
])
def test_the_live_twin_reads_configmaps_only_in_the_watched_namespaces(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, watched: tuple[str, ...], listed: list[str]) -> None:
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    with RecordedApi(_recorded(shop_objects())) as api:
        monkeypatch.setenv("KUBECONFIG", str(api.write_kubeconfig(tmp_path / "kubeconfig")))
        graph = KubernetesBuilder().collect(TopologyInputs(kube_live=True, kube_context="recorded",
                                                           kube_configmap_namespaces=watched))
    paths = [path.split("?")[0] for _, path, _ in api.requests]
    assert [path for path in paths if "configmaps" in path] == listed
    assert "/apis/apps/v1/deployments" in paths  # the rest of the twin still spans the cluster
    assert ("checkout", "calls", "payments") in edge_set(graph)  # from env, read either way
    assert (("checkout", "calls", "inventory") in edge_set(graph)) == bool(watched)  # from the ConfigMap
