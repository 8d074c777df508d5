"""What an alert is about when an exporter reports on something else: a queue exporter's consumer group, and
cluster add-ons named by kube-state-metrics' object labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from functions._platform.config import Settings
from functions.triage.workload import affected_namespace, affected_workload, cluster_resolver

KAFKA_EXPORTER = {"job": "kafka-exporter", "service": "kafka-exporter", "namespace": "kafka", "endpoint": "metrics",
                  "pod": "kafka-exporter-6c7d8f9b7-zt4qp", "container": "kafka-exporter", "instance": "10.0.1.88:9308"}
KSM_TARGET = {"job": "kube-state-metrics", "service": "kube-prometheus-stack-kube-state-metrics",
              "pod": "kube-prometheus-stack-kube-state-metrics-6d9f7c8b5-qx2lm", "container": "kube-state-metrics"}


def test_a_consumer_lag_alert_names_the_consumer_group_not_the_exporter():
    labels = {"alertname": "KafkaConsumerGroupLagHigh", "consumergroup": "fulfillment", "topic": "orders.created",
              **KAFKA_EXPORTER}
    assert affected_workload(labels) == "fulfillment"
    assert affected_namespace(labels) is None  # `namespace` is the exporter's; the consumers may run anywhere


def test_kminion_and_other_spellings_of_the_group_label():
    for key in ("consumer_group", "group_id"):
        labels = {"alertname": "KafkaConsumerLag", key: "billing", "job": "kminion", "namespace": "kafka"}
        assert affected_workload(labels) == "billing"
        assert affected_namespace(labels) is None


def test_an_object_label_keeps_its_namespace_and_wins_over_a_group_label():
    labels = {"alertname": "KubeDeploymentReplicasMismatch", "deployment": "fulfillment", "namespace": "shop",
              "consumergroup": "other", **{k: v for k, v in KSM_TARGET.items()}}
    assert affected_workload(labels) == "fulfillment"
    assert affected_namespace(labels) == "shop"


def test_add_ons_named_by_object_labels_are_the_subject_not_the_messenger():
    assert affected_workload({"alertname": "KubeDeploymentReplicasMismatch", "namespace": "kube-system",
                              "deployment": "coredns", **KSM_TARGET}) == "coredns"
    assert affected_workload({"alertname": "KubeDaemonSetRolloutStuck", "namespace": "monitoring",
                              "daemonset": "node-exporter", **KSM_TARGET}) == "node-exporter"
    # the scraped exporter itself still names nothing
    assert affected_workload({"alertname": "TargetDown", "namespace": "kube-system", "job": "coredns",
                              "service": "kube-dns"}) is None


def _pod(name: str, namespace: str, deployment: str, env: dict[str, str] | None = None) -> list[dict]:
    replicaset = f"{deployment}-5f6d8c7b9"
    owner = lambda kind, owner_name: [{"apiVersion": "apps/v1", "kind": kind, "name": owner_name,
                                       "uid": f"uid-{owner_name}", "controller": True}]
    container = {"name": "app", "image": f"registry.example/{deployment}:1.4.2",
                 "env": [{"name": key, "value": value} for key, value in (env or {}).items()]}
    return [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet",
         "metadata": {"name": replicaset, "namespace": namespace, "ownerReferences": owner("Deployment", deployment)}},
        {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [container]},
         "metadata": {"name": f"{replicaset}-{name}", "namespace": namespace,
                      "ownerReferences": owner("ReplicaSet", replicaset)}},
    ]


@pytest.fixture
def cluster(tmp_path: Path) -> Settings:
    items = [*_pod("x2x9z", "orders", "order-router", {"KAFKA_GROUP_ID": "orders-v2", "LOG_LEVEL": "info"}),
             *_pod("q8w7e", "orders", "ledger-writer"), *_pod("a1b2c", "orders", "ledger"),
             *_pod("k3j4h", "kafka", "kafka-exporter")]
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}), encoding="utf-8")
    return Settings(home=tmp_path / "home", kube_snapshot=path)


def test_the_cluster_names_the_consumer_of_a_group_not_named_after_it(cluster: Settings):
    resolve = cluster_resolver(cluster)
    lag = {"alertname": "KafkaConsumerGroupLagHigh", "topic": "orders.created", **KAFKA_EXPORTER}
    # the group is set in the consumer's environment
    assert affected_workload({**lag, "consumergroup": "orders-v2"}, resolve) == "order-router"
    # the group is named after its consumer, with affixes: the longest workload name that is a whole part of it
    assert affected_workload({**lag, "consumergroup": "ledger-writer-consumer"}, resolve) == "ledger-writer"
    assert affected_workload({**lag, "consumergroup": "cg.ledger"}, resolve) == "ledger"
    # a part of a word is not a name: nothing in the cluster consumes as `ledgers`, so the group stands for itself
    assert affected_workload({**lag, "consumergroup": "ledgers"}, resolve) == "ledgers"
