"""One broken cluster per failure kind: a change to the healthy cluster and the finding it must yield."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from support.kube_cluster import (
    NS,
    deployment,
    event,
    find,
    healthy_cluster,
    node,
    pod,
    replicaset,
    ts,
)


@dataclass
class Scenario:
    name: str
    breaks: Callable[[dict[str, Any]], None]
    kind: str
    subject: str
    evidence: dict[str, Any]  # key -> expected value (subset check)
    service: str | None = None

    def cluster(self) -> dict[str, Any]:
        cluster = healthy_cluster()
        self.breaks(cluster)
        return cluster


def _replace_pod(cluster: dict[str, Any], name: str, new: dict[str, Any]) -> None:
    pods = cluster["objects"]["pods"]
    pods[[p["metadata"]["name"] for p in pods].index(name)] = new


def _payments_unavailable(cluster: dict[str, Any]) -> None:
    find(cluster, "deployments", "payments")["status"].update(availableReplicas=0, readyReplicas=0)
    find(cluster, "endpoints", "payments")["subsets"] = []


def crashloop(cluster: dict[str, Any]) -> None:
    for suffix in ("x1", "x2"):
        _replace_pod(cluster, f"payments-bbb222-{suffix}", pod(
            "payments", "bbb222", suffix, "registry.local/payments:2.3", ready=False, restarts=7,
            waiting={"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"},
            last_terminated={"reason": "Error", "exitCode": 1, "finishedAt": ts(12), "startedAt": ts(11.9)}))
        cluster["logs"][(NS, f"payments-bbb222-{suffix}", "payments", True)] = (
            f"{ts(11.9)} starting payments\n{ts(11.95)} FATAL: environment variable STRIPE_API_KEY is not set\n")
    _payments_unavailable(cluster)


def oomkilled(cluster: dict[str, Any]) -> None:
    _replace_pod(cluster, "payments-bbb222-x1", pod(
        "payments", "bbb222", "x1", "registry.local/payments:2.3", ready=False, restarts=3,
        waiting={"reason": "CrashLoopBackOff", "message": "back-off"},
        last_terminated={"reason": "OOMKilled", "exitCode": 137, "finishedAt": ts(8)}))


def image_pull(cluster: dict[str, Any]) -> None:
    image = "registry.local/payments:2.4-typo"
    _replace_pod(cluster, "payments-bbb222-x1", pod(
        "payments", "bbb222", "x1", image, ready=False,
        waiting={"reason": "ImagePullBackOff", "message": f'Back-off pulling image "{image}"'}))
    cluster["objects"]["events"].append(event("Pod", "payments-bbb222-x1", "Failed",
                                              f'Failed to pull image "{image}": manifest unknown', at=6))


def config_error(cluster: dict[str, Any]) -> None:
    _replace_pod(cluster, "checkout-aaa111-x2", pod(
        "checkout", "aaa111", "x2", "registry.local/checkout:1.0", ready=False,
        waiting={"reason": "CreateContainerConfigError",
                 "message": "couldn't find key PAYMENT_TIMEOUT in ConfigMap shop/checkout-config"}))


def unschedulable(cluster: dict[str, Any]) -> None:
    stuck = pod("payments", "bbb222", "x3", "registry.local/payments:2.3", ready=False)
    stuck["spec"].pop("nodeName")
    stuck["status"] = {"phase": "Pending", "conditions": [{
        "type": "PodScheduled", "status": "False", "reason": "Unschedulable", "lastTransitionTime": ts(3),
        "message": "0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are available."}]}
    cluster["objects"]["pods"].append(stuck)


def probe_failure(cluster: dict[str, Any]) -> None:
    cluster["objects"]["events"].append(event(
        "Pod", "checkout-aaa111-x1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503",
        at=14, count=12, first=4))


def evicted(cluster: dict[str, Any]) -> None:
    gone = pod("frontend", "ccc333", "x9", "registry.local/frontend:5.1", ready=False)
    gone["status"] = {"phase": "Failed", "reason": "Evicted", "startTime": ts(-60),
                      "message": "The node was low on resource: memory. Container frontend was using 1Gi.",
                      "conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": ts(7)}]}
    cluster["objects"]["pods"].append(gone)


def stalled_rollout(cluster: dict[str, Any]) -> None:
    status = find(cluster, "deployments", "frontend")["status"]
    status["availableReplicas"] = 1
    status["conditions"][1] = {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                               "message": 'ReplicaSet "frontend-eee555" has timed out progressing.',
                               "lastTransitionTime": ts(9)}


def image_rollout(cluster: dict[str, Any]) -> None:
    objects = cluster["objects"]
    objects["deployments"][0] = deployment("checkout", "registry.local/checkout:1.1", revision=2)
    objects["replicasets"].append(replicaset("checkout", "registry.local/checkout:1.1", "fff666", 2, ts(-8), 2))


def config_change(cluster: dict[str, Any]) -> None:
    objects = cluster["objects"]
    objects["deployments"][0] = deployment("checkout", "registry.local/checkout:1.0", configmap="checkout-config")
    find(cluster, "configmaps", "checkout-config")["metadata"]["managedFields"] = [
        {"manager": "kubectl-edit", "operation": "Update", "time": ts(2), "fieldsV1": {"f:data": {}}}]


def selector_mismatch(cluster: dict[str, Any]) -> None:
    find(cluster, "services", "payments")["spec"]["selector"] = {"app": "payment"}
    find(cluster, "endpoints", "payments")["subsets"] = []


def ingress_missing(cluster: dict[str, Any]) -> None:
    path = find(cluster, "ingresses", "shop")["spec"]["rules"][0]["http"]["paths"][0]
    path["backend"]["service"]["name"] = "frontend-v2"


def pvc_pending(cluster: dict[str, Any]) -> None:
    claim = find(cluster, "persistentvolumeclaims", "orders-data")
    claim["status"]["phase"] = "Pending"
    claim["metadata"]["creationTimestamp"] = ts(1)
    for db_pod in (p for p in cluster["objects"]["pods"] if p["metadata"]["name"].startswith("orders-db")):
        db_pod["spec"]["volumes"] = [{"name": "data", "persistentVolumeClaim": {"claimName": "orders-data"}}]
    cluster["objects"]["events"].append(event(
        "PersistentVolumeClaim", "orders-data", "ProvisioningFailed",
        'storageclass.storage.k8s.io "standard" not found', at=2))


def node_down(cluster: dict[str, Any]) -> None:
    cluster["objects"]["nodes"][1] = node("node-2", ready="Unknown")


def node_memory(cluster: dict[str, Any]) -> None:
    cluster["objects"]["nodes"][0] = node("node-1", pressure="MemoryPressure")


def mount_failures(cluster: dict[str, Any]) -> None:
    cluster["objects"]["events"].append(event(
        "Pod", "frontend-ccc333-x1", "FailedMount",
        'MountVolume.SetUp failed for volume "certs" : secret "frontend-tls" not found', at=11, count=9))


def refused_dependency(cluster: dict[str, Any]) -> None:
    cluster["logs"][(NS, "checkout-aaa111-x1", "checkout", False)] = "".join(
        f"{ts(5 + i)} ERROR charge failed: Post \"http://payments:8080/charge\": dial tcp 10.96.3.4:8080: "
        f"connect: connection refused\n" for i in range(6))


SCENARIOS: list[Scenario] = [
    Scenario("crashloop", crashloop, "pod_crashloop", "payments", {"exit_codes": {"1": 2}}),
    Scenario("crashloop_log", crashloop, "container_log_error", "payments",
             {"category": "missing_env_var", "env_var": {"STRIPE_API_KEY": 2}}),
    Scenario("oomkilled", oomkilled, "pod_oomkilled", "payments", {"exit_codes": {"137": 1}}),
    Scenario("image_pull", image_pull, "image_pull_error", "payments",
             {"images": ["registry.local/payments:2.4-typo"]}),
    Scenario("config_error", config_error, "container_config_error", "checkout",
             {"cause": {"missing": "key", "key": "PAYMENT_TIMEOUT", "source_kind": "ConfigMap",
                        "source": "checkout-config", "source_exists": True, "existing_keys": ["LOG_LEVEL"]}}),
    Scenario("unschedulable", unschedulable, "pod_unschedulable", "payments",
             {"scheduler_reasons": {"Insufficient memory": 2}}),
    Scenario("probe_failure", probe_failure, "probe_failure", "checkout",
             {"probe": "readiness", "failures": {"window": 12, "baseline": 0, "earlier": 0}}),
    Scenario("evicted", evicted, "pod_evicted", "frontend", {"pods": ["frontend-ccc333-x9"]}),
    Scenario("stalled_rollout", stalled_rollout, "deployment_unavailable", "frontend",
             {"stalled_reason": "ProgressDeadlineExceeded", "available": 1, "desired": 2}),
    Scenario("image_rollout", image_rollout, "recent_rollout", "checkout",
             {"change": "image", "images": {"checkout": {"old": "registry.local/checkout:1.0",
                                                         "new": "registry.local/checkout:1.1"}}}),
    Scenario("config_change", config_change, "recent_rollout", "checkout",
             {"change": "config", "configmap": "checkout-config"}),
    Scenario("selector_mismatch", selector_mismatch, "service_no_endpoints", "payments",
             {"service": "payments", "matching_pods": []}),
    Scenario("ingress_missing", ingress_missing, "ingress_backend_missing", "ingress/shop",
             {"broken_backends": [{"host": "shop.example.com", "service": "frontend-v2",
                                   "problem": "service not found"}]}),
    Scenario("pvc_pending", pvc_pending, "pvc_pending", "orders-db", {"phase": "Pending", "pvc": "orders-data"}),
    Scenario("node_down", node_down, "node_not_ready", "node/node-2", {"reason": "NodeStatusUnknown"}),
    Scenario("node_memory", node_memory, "node_pressure", "node/node-1", {"condition": "MemoryPressure"}),
    Scenario("mount_failures", mount_failures, "warning_events", "frontend", {"reason": "FailedMount"}),
    Scenario("refused_dependency", refused_dependency, "container_log_error", "checkout",
             {"category": "connection_refused", "target": {"payments:8080": 6}}, service="checkout"),
]
