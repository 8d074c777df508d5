"""aggregated_api_unavailable: an APIService that is not Available, served by a Service in the cluster, is a
finding on the workload behind that Service, with what depends on it (HPAs, a namespace that cannot finish
deleting) as evidence; an API served by the API server itself, or available, is not."""

from __future__ import annotations

from pathlib import Path

from kube_snapshots import CONTEXT, found, state_of
from support.kube_cluster import (
    api_service,
    deployment,
    event,
    healthy_cluster,
    in_namespace,
    meta,
    pod,
    replicaset,
    service,
    ts,
    write_snapshot,
)

from functions._platform.analyzers.runner import run
from functions._platform.domains.kubernetes.analyzers.aggregated_api import (
    AggregatedApiAnalyzer,
    aggregated_api_services,
    api_groups_named,
)

NO_RESOURCE_METRICS = ("failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics "
                       "from resource metrics API: the server is currently unable to handle the request "
                       "(get pods.metrics.k8s.io)")
NO_EXTERNAL_METRIC = ("unable to get external metric shop/s0-rabbitmq-orders/&LabelSelector{MatchLabels:map[string]"
                      "string{scaledobject.keda.sh/name: worker,},MatchExpressions:[]LabelSelectorRequirement{},}: "
                      "unable to fetch metrics from external metrics API: the server is currently unable to handle "
                      "the request (get s0-rabbitmq-orders.external.metrics.k8s.io)")
KEDA_DISCOVERY = ('failing or missing response from https://10.100.36.21:443/apis/external.metrics.k8s.io/v1beta1: Get '
                  '"https://10.100.36.21:443/apis/external.metrics.k8s.io/v1beta1": dial tcp 10.100.36.21:443: '
                  'connect: connection refused')
STUCK_DELETING = ("Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: "
                  "custom.metrics.k8s.io/v1beta1: the server is currently unable to handle the request")


def _backend(cluster: dict, namespace: str, app: str, ready: bool) -> None:
    image = f"registry.local/{app}:1.0"
    objects = cluster["objects"]
    objects["deployments"].append(in_namespace(namespace, deployment(app, image, replicas=1, available=int(ready))))
    objects["replicasets"].append(in_namespace(namespace, replicaset(app, image, "eee555", 1, ts(-600), 1)))
    objects["pods"].append(in_namespace(namespace, pod(app, "eee555", "m1", image, ready=ready)))
    objects["services"].append(in_namespace(namespace, service(app, port=443)))


def _metrics_server_down(available: bool = False) -> dict:
    cluster = healthy_cluster()
    _backend(cluster, "kube-system", "metrics-server", ready=available)
    cluster["objects"]["apiservices"] = [
        api_service("apps", "v1", None),
        api_service("metrics.k8s.io", "v1beta1", ("kube-system", "metrics-server"), available=available,
                    reason="MissingEndpoints", since=-4,
                    message='endpoints for service/metrics-server in "kube-system" have no addresses with port '
                            'name "https"')]
    cluster["objects"]["events"].append(event("HorizontalPodAutoscaler", "checkout", "FailedGetResourceMetric",
                                              NO_RESOURCE_METRICS, at=12, count=40, first=-3))
    return cluster


def test_hpas_blind_for_metrics_name_the_metrics_server_behind_the_api(tmp_path: Path) -> None:
    (finding,) = found(AggregatedApiAnalyzer(), _metrics_server_down(), tmp_path)
    assert (finding.kind, finding.subject, finding.severity) == (
        "aggregated_api_unavailable", "metrics-server", "critical")
    assert finding.evidence["apiservice"] == "v1beta1.metrics.k8s.io"
    assert (finding.evidence["namespace"], finding.evidence["service"]) == ("kube-system", "metrics-server")
    assert finding.evidence["dependents"] == ["HorizontalPodAutoscaler/shop/checkout"]
    assert finding.evidence["blocked_callers"] == ["checkout"]
    assert finding.evidence["reasons"][0].startswith("MissingEndpoints: endpoints for service/metrics-server")
    assert finding.onset.strftime("%Y-%m-%dT%H:%M:%SZ") == ts(-4)  # when the API went down, not the first HPA event
    assert "snapshot:apiservices" in finding.query


def test_an_external_metrics_adapter_down_names_keda_for_its_scaled_objects(tmp_path: Path) -> None:
    cluster = healthy_cluster()
    _backend(cluster, "keda", "keda-operator-metrics-apiserver", ready=False)
    cluster["objects"]["apiservices"] = [api_service(
        "external.metrics.k8s.io", "v1beta1", ("keda", "keda-operator-metrics-apiserver"), available=False,
        reason="FailedDiscoveryCheck", message=KEDA_DISCOVERY)]
    cluster["objects"]["events"].append(event("HorizontalPodAutoscaler", "keda-hpa-worker", "FailedGetExternalMetric",
                                              NO_EXTERNAL_METRIC, at=8, count=12))
    (finding,) = found(AggregatedApiAnalyzer(), cluster, tmp_path)
    assert finding.subject == "keda-operator-metrics-apiserver" and finding.severity == "critical"
    assert finding.evidence["dependents"] == ["HorizontalPodAutoscaler/shop/keda-hpa-worker"]
    assert finding.evidence["dependent_events"] == 12
    assert aggregated_api_services(state_of(write_snapshot(cluster, tmp_path / "again"))) == {
        ("keda", "keda-operator-metrics-apiserver")}


def test_a_namespace_stuck_terminating_on_discovery_depends_on_the_custom_metrics_adapter(tmp_path: Path) -> None:
    cluster = _metrics_server_down(available=True)
    cluster["objects"]["apiservices"].append(api_service(
        "custom.metrics.k8s.io", "v1beta1", ("monitoring", "prometheus-adapter"), available=False,
        reason="ServiceNotFound", message='service/prometheus-adapter in "monitoring" is not present'))
    data = state_of(write_snapshot(cluster, tmp_path / "snapshot"))
    data.namespaces = [{"kind": "Namespace", "apiVersion": "v1", "metadata": meta("old-team", namespace=None),
                        "status": {"phase": "Terminating", "conditions": [
                            {"type": "NamespaceDeletionDiscoveryFailure", "status": "True", "message": STUCK_DELETING,
                             "reason": "DiscoveryFailed", "lastTransitionTime": ts(2)}]}}]
    (finding,) = run("kubernetes", data, CONTEXT, only=[AggregatedApiAnalyzer()])
    assert finding.subject == "prometheus-adapter"  # its Service is gone: the name it was served by
    assert finding.evidence["dependents"] == ["Namespace/old-team"] and finding.evidence["blocked_callers"] == []
    assert finding.severity == "critical"


def test_messages_name_the_api_group_they_failed_on() -> None:
    assert api_groups_named(NO_RESOURCE_METRICS) == {"metrics.k8s.io"}
    assert api_groups_named(NO_EXTERNAL_METRIC) == {"external.metrics.k8s.io"}
    assert api_groups_named("the server is currently unable to handle the request (get pods.custom.metrics.k8s.io "
                            "*)") == {"custom.metrics.k8s.io"}
    assert api_groups_named(STUCK_DELETING) == {"custom.metrics.k8s.io"}
    assert api_groups_named("Back-off restarting failed container payments in pod payments-x1") == set()


def test_an_unavailable_api_nobody_depends_on_is_only_a_warning(tmp_path: Path) -> None:
    cluster = _metrics_server_down()
    cluster["objects"]["events"] = [e for e in cluster["objects"]["events"] if e["reason"] != "FailedGetResourceMetric"]
    (finding,) = found(AggregatedApiAnalyzer(), cluster, tmp_path)
    assert finding.severity == "warning" and finding.evidence["dependents"] == []
    assert aggregated_api_services(state_of(write_snapshot(cluster, tmp_path / "again"))) == set()


def test_available_and_local_apis_yield_nothing(tmp_path: Path) -> None:
    assert found(AggregatedApiAnalyzer(), _metrics_server_down(available=True), tmp_path) == []
    assert found(AggregatedApiAnalyzer(), healthy_cluster(), tmp_path) == []
