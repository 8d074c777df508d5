"""What an alert is about when an exporter reports on something else: a queue exporter's consumer group, and
cluster add-ons named by kube-state-metrics' object labels."""

from __future__ import annotations

from functions.triage.workload import affected_namespace, affected_workload

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
