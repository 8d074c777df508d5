"""A client of a StatefulSet names its members through the headless Service (`zookeeper-0.zookeeper-headless.
kafka.svc.cluster.local:2181`): that names the Service, so the StatefulSet behind it is a dependency."""

from __future__ import annotations

from support.kube_cluster import deployment, in_namespace, member, service

from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.dependencies import dependencies_of

CONNECT = ",".join(f"zookeeper-{i}.zookeeper-headless.kafka.svc.cluster.local:2181" for i in range(3))


def _state(cluster_ip: str) -> ClusterState:
    headless = in_namespace("kafka", service("zookeeper-headless", selector={"app": "zookeeper"}, port=2181))
    headless["spec"]["clusterIP"] = cluster_ip
    broker = in_namespace("kafka", deployment("kafka", "bitnami/kafka:3.6", env=[
        {"name": "KAFKA_CFG_ZOOKEEPER_CONNECT", "value": CONNECT}]))
    members = [in_namespace("kafka", member("zookeeper", i, "bitnami/zookeeper:3.9")) for i in range(3)]
    for one in members:
        one["metadata"]["labels"]["app"] = "zookeeper"
    return ClusterState(services=[headless], deployments=[broker], pods=members)


def test_the_members_of_a_headless_service_name_its_statefulset() -> None:
    assert "zookeeper" in dependencies_of(_state("None"), "kafka")


def test_only_a_headless_service_names_its_pods() -> None:
    assert "zookeeper" not in dependencies_of(_state("10.96.4.7"), "kafka")
