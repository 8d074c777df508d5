"""Triage reads the affected workload from kube-prometheus alert labels, never from the exporter that sent them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.recorded_api import RecordedApi

from functions._platform.config import Settings
from functions.triage.workload import affected_namespace, affected_workload, cluster_resolver

KSM = {"job": "kube-state-metrics", "service": "kube-prometheus-stack-kube-state-metrics", "endpoint": "http",
       "instance": "10.244.1.17:8080", "prometheus": "monitoring/kube-prometheus-stack-prometheus"}
# series without pod labels carry the exporter's own pod and container as target labels
KSM_TARGET = {**KSM, "pod": "kube-prometheus-stack-kube-state-metrics-6d9f7c8b5-qx2lm",
              "container": "kube-state-metrics"}
KUBELET = {"job": "kubelet", "service": "kube-prometheus-stack-kubelet", "metrics_path": "/metrics",
           "endpoint": "https-metrics", "instance": "10.0.3.21:10250", "node": "ip-10-0-3-21"}

CASES = [
    ({"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "cart-7c9d5f8b6-x2x9z", "container": "cart",
      "reason": "CrashLoopBackOff", "uid": "0f0c", **KSM}, "cart"),
    ({"alertname": "KubeDeploymentReplicasMismatch", "namespace": "shop", "deployment": "checkout", **KSM_TARGET},
     "checkout"),
    ({"alertname": "KubeDeploymentRolloutStuck", "namespace": "shop", "deployment": "cart", **KSM_TARGET}, "cart"),
    ({"alertname": "KubeStatefulSetReplicasMismatch", "namespace": "shop", "statefulset": "reports-db",
      **KSM_TARGET}, "reports-db"),
    ({"alertname": "KubeDaemonSetRolloutStuck", "namespace": "logging", "daemonset": "fluent-bit", **KSM_TARGET},
     "fluent-bit"),
    ({"alertname": "KubeJobFailed", "namespace": "shop", "job_name": "nightly-invoices-29061440", "condition": "true",
      **KSM_TARGET}, "nightly-invoices"),
    ({"alertname": "KubePersistentVolumeFillingUp", "namespace": "shop", "persistentvolumeclaim": "data-orders-db-0",
      **KUBELET}, "pvc/data-orders-db-0"),
    ({"alertname": "TargetDown", "namespace": "shop", "job": "payments", "service": "payments"}, "payments"),
    ({"alertname": "TargetDown", "namespace": "monitoring", "job": "node-exporter",
      "service": "kube-prometheus-stack-prometheus-node-exporter"}, None),
    ({"alertname": "KubeContainerWaiting", "namespace": "shop", "pod": "search-0", "container": "search",
      **KSM}, "search"),
    ({"alertname": "CheckoutErrorRate", "service": "checkout", "pod": "a"}, "checkout"),
    ({"alertname": "KubeHpaMaxedOut", "namespace": "shop", "horizontalpodautoscaler": "search", **KSM_TARGET},
     "search"),
    ({"alertname": "KubeHpaReplicasMismatch", "namespace": "shop", "horizontalpodautoscaler": "keda-hpa-worker",
      **KSM_TARGET}, "worker"),
    ({"alertname": "NodeFilesystemSpaceFillingUp", "instance": "10.0.3.21:9100", "job": "node-exporter",
      "device": "/dev/nvme0n1p1", "mountpoint": "/"}, None),
    # a Probe's job and the exporter's service are the messengers; the probed URL's host is what is affected
    ({"alertname": "BlackboxProbeFailed", "instance": "https://partner-api.acme.io/healthz",
      "job": "probe/monitoring/partner-api", "namespace": "monitoring"}, "partner-api.acme.io"),
    ({"alertname": "ProbeFailed", "instance": "http://user@status.acme.io:8443/", "job": "blackbox",
      "service": "prometheus-blackbox-exporter"}, "status.acme.io"),
]


@pytest.mark.parametrize(("labels", "expected"), CASES, ids=[f"{c[0]['alertname']}-{n}" for n, c in enumerate(CASES)])
def test_the_workload_comes_from_the_object_labels_not_the_exporter(labels, expected):
    assert affected_workload(labels) == expected


def _item(kind: str, name: str, owner: tuple[str, str] | None = None, **extra) -> dict:
    metadata = {"name": name, "namespace": "shop", "uid": f"uid-{name}"}
    if owner:
        metadata["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": owner[0], "name": owner[1],
                                        "uid": f"uid-{owner[1]}", "controller": True, "blockOwnerDeletion": True}]
    return {"apiVersion": "v1", "kind": kind, "metadata": metadata, **extra}


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    claim = {"volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "uploads"}}]}
    items = [
        _item("ReplicaSet", "storefront-web-5f6d8c7b9", ("Deployment", "storefront")),
        _item("Pod", "storefront-web-5f6d8c7b9-abcde", ("ReplicaSet", "storefront-web-5f6d8c7b9"), spec=claim),
        _item("CronJob", "invoices"),
        _item("Job", "invoices-29061440", ("CronJob", "invoices")),
        _item("Pod", "invoices-29061440-7kq2p", ("Job", "invoices-29061440")),
    ]
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}), encoding="utf-8")
    return path


def test_pods_jobs_and_claims_resolve_to_their_owner_through_the_cluster(snapshot: Path, tmp_path: Path):
    resolve = cluster_resolver(Settings(home=tmp_path / "home", kube_snapshot=snapshot))
    # a Deployment whose ReplicaSet is not named after it: only the owner chain knows
    assert affected_workload({"namespace": "shop", "pod": "storefront-web-5f6d8c7b9-abcde", **KSM},
                             resolve) == "storefront"
    assert affected_workload({"namespace": "shop", "pod": "invoices-29061440-7kq2p", **KSM}, resolve) == "invoices"
    assert affected_workload({"namespace": "shop", "job_name": "invoices-29061440", **KSM_TARGET},
                             resolve) == "invoices"
    assert affected_workload({"namespace": "shop", "persistentvolumeclaim": "uploads", **KUBELET},
                             resolve) == "storefront"
    # unknown to the cluster: the name's shape still gives the owner
    assert affected_workload({"namespace": "shop", "pod": "cart-7c9d5f8b6-x2x9z", **KSM}, resolve) == "cart"


def _autoscaler(name: str, target: tuple[str, str]) -> dict:
    return _item("HorizontalPodAutoscaler", name, apiVersion="autoscaling/v2", spec={
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": target[0], "name": target[1]}, "maxReplicas": 10})


AUTOSCALED = [_autoscaler("storefront-autoscaler", ("Deployment", "storefront")),
              _autoscaler("keda-hpa-orders", ("Deployment", "orders-consumer")),
              _autoscaler("ledger", ("StatefulSet", "ledger-db"))]


@pytest.mark.parametrize(("hpa", "workload"), [("storefront-autoscaler", "storefront"),
                                               ("keda-hpa-orders", "orders-consumer"), ("ledger", "ledger-db")])
def test_an_hpa_alert_names_the_workload_the_hpa_scales(tmp_path: Path, hpa: str, workload: str):
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": AUTOSCALED}), encoding="utf-8")
    resolve = cluster_resolver(Settings(home=tmp_path / "home", kube_snapshot=path))
    labels = {"alertname": "KubeHpaMaxedOut", "namespace": "shop", "horizontalpodautoscaler": hpa, **KSM_TARGET}
    assert affected_workload(labels, resolve) == workload
    assert affected_namespace(labels) == "shop"


def test_a_queue_alert_names_the_workload_scaled_on_that_queue(tmp_path: Path):
    """A CloudWatch exporter's SQS backlog alert: the consumer is the workload KEDA scales on the queue, in its own
    namespace, not the exporter's."""
    scaler = _autoscaler("keda-hpa-invoice-worker", ("Deployment", "invoice-worker"))
    scaler["spec"]["metrics"] = [{"type": "External", "external": {"metric": {
        "name": "s0-aws-sqs-billing-invoice-render"}, "target": {"type": "AverageValue", "averageValue": "50"}}}]
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [scaler]}), encoding="utf-8")
    resolve = cluster_resolver(Settings(home=tmp_path / "home", kube_snapshot=path))
    labels = {"alertname": "QueueBacklog", "namespace": "monitoring", "job": "yace", "service": "yace",
              "pod": "yace-qrhlckv4h2-8jrsg", "dimension_QueueName": "billing-invoice-render"}
    assert affected_workload(labels, resolve) == "invoice-worker"
    assert affected_namespace(labels, resolve) is None
    other = {**labels, "dimension_QueueName": "billing-dead-letters"}  # no autoscaler on it: as before
    assert affected_workload(other, resolve) == "yace" and affected_namespace(other, resolve) == "monitoring"


def test_an_hpa_alert_is_resolved_through_the_live_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with RecordedApi({"objects": {"horizontalpodautoscalers": AUTOSCALED}, "logs": {}}) as api:
        monkeypatch.setenv("KUBECONFIG", str(api.write_kubeconfig(tmp_path / "kubeconfig")))
        resolve = cluster_resolver(Settings(home=tmp_path / "home", kube_live=True, kube_context="recorded"))
        labels = {"alertname": "KubeHpaReplicasMismatch", "namespace": "shop",
                  "horizontalpodautoscaler": "keda-hpa-orders", **KSM_TARGET}
        assert affected_workload(labels, resolve) == "orders-consumer"
    assert "/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers" in {
        path.split("?")[0] for _, path, _ in api.requests}


def test_without_a_cluster_nothing_is_resolved(tmp_path: Path):
    assert cluster_resolver(Settings(home=tmp_path / "home")) is None


def _alert(fingerprint: str, labels: dict) -> dict:
    return {"status": "firing", "labels": labels, "annotations": {"summary": labels["alertname"]},
            "startsAt": "2026-01-01T10:00:00Z", "endsAt": "0001-01-01T00:00:00Z", "fingerprint": fingerprint}


def test_a_namespace_grouped_webhook_names_each_workload(orchestrator):
    webhook = {
        "version": "4", "groupKey": '{}:{namespace="shop"}', "status": "firing", "receiver": "sreo",
        "groupLabels": {"namespace": "shop"}, "commonLabels": {"namespace": "shop", **KSM},
        "alerts": [
            _alert("a1", {"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "cart-7c9d5f8b6-x2x9z",
                          "container": "cart", **KSM}),
            _alert("a2", {"alertname": "KubeDeploymentReplicasMismatch", "namespace": "shop", "deployment": "cart",
                          **KSM_TARGET}),
            _alert("a3", {"alertname": "KubeStatefulSetReplicasMismatch", "namespace": "shop",
                          "statefulset": "reports-db", **KSM_TARGET}),
        ],
    }
    answer = orchestrator.client.post("/alerts/alertmanager", json=webhook)
    assert answer.status_code == 202, answer.text
    ids = [entry["id"] for entry in answer.json()["incidents"]]
    services = sorted(orchestrator.client.get(f"/incidents/{i}").json()["service"] for i in ids)
    assert services == ["cart", "reports-db"]
    for incident_id in ids:
        orchestrator.report(incident_id)


def test_a_probe_alert_names_the_workload_serving_the_probed_host(tmp_path: Path):
    """The Ingress routing the host's root names the Service; its pods name the workload. The namespace is left
    open: the alert's is the Probe's."""
    ingress = _item("Ingress", "partner-api", apiVersion="networking.k8s.io/v1", spec={"rules": [
        {"host": "partner-api.acme.io", "http": {"paths": [
            {"path": "/v2", "pathType": "Prefix", "backend": {"service": {"name": "partner-v2", "port": {"number": 80}}}},
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "partner-api", "port": {"number": 80}}}},
        ]}}]})
    service = _item("Service", "partner-api", spec={"selector": {"app": "partner"}})
    replicas = _item("ReplicaSet", "partner-gateway-6c9f7d8b5", ("Deployment", "partner-gateway"))
    running = _item("Pod", "partner-gateway-6c9f7d8b5-q2x7w", ("ReplicaSet", "partner-gateway-6c9f7d8b5"),
                    status={"phase": "Running"})
    running["metadata"]["labels"] = {"app": "partner"}
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [ingress, service, replicas, running]}),
                    encoding="utf-8")
    resolve = cluster_resolver(Settings(home=tmp_path / "home", kube_snapshot=path))
    labels = {"alertname": "BlackboxProbeFailed", "instance": "https://partner-api.acme.io/healthz",
              "job": "probe/monitoring/partner-api", "namespace": "monitoring"}
    assert affected_workload(labels, resolve) == "partner-gateway"
    assert affected_namespace(labels) is None
    assert affected_workload({**labels, "instance": "https://unknown.acme.io/"}, resolve) == "unknown.acme.io"
