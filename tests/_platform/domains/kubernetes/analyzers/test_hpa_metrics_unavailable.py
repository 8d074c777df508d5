"""hpa_metrics_unavailable: an HPA that cannot read its metrics (ScalingActive=False) cannot scale the workload it
scales; when its message names an aggregated metrics API that is down, the finding points at the Service behind it
and aggregated_api_unavailable counts the HPA among its dependents. ScalingActive=True, or scaling switched off on
purpose, is nothing."""

from __future__ import annotations

from pathlib import Path

from kube_snapshots import found
from support.kube_cluster import api_service, deployment, event, healthy_cluster, hpa, in_namespace, service

from functions._platform.domains.kubernetes.analyzers.aggregated_api import AggregatedApiAnalyzer
from functions._platform.domains.kubernetes.analyzers.hpa_metrics_unavailable import (
    HpaMetricsUnavailableAnalyzer,
)
from functions._platform.domains.kubernetes.analyzers.warning_events import WarningEventsAnalyzer
from functions.report.actions import suggest

NO_RESOURCE_METRICS = ("the HPA was unable to compute the replica count: failed to get cpu utilization: unable to "
                       "get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server "
                       "is currently unable to handle the request (get pods.metrics.k8s.io)")
NO_EXTERNAL_METRIC = ("the HPA was unable to compute the replica count: unable to get external metric "
                      "shop/s0-rabbitmq-orders/&LabelSelector{MatchLabels:map[string]string{scaledobject.keda.sh/name: "
                      "worker,},}: unable to fetch metrics from external metrics API: the server could not find the "
                      "requested resource (get s0-rabbitmq-orders.external.metrics.k8s.io)")
BAD_SELECTOR = "the HPA target's scale is missing a selector"


def _blind(name: str, target: str, reason: str, message: str, **extra) -> dict:
    return hpa(name, target, current=2, maximum=10, cpu=(70, None), since=-3,
               conditions={"ScalingActive": ("False", reason, message)}, **extra)


def _metrics_server_down(*autoscalers: dict) -> dict:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    objects["deployments"].append(in_namespace("kube-system", deployment(
        "metrics-server", "registry.k8s.io/metrics-server:v0.7.2", replicas=1, available=0)))
    objects["services"].append(in_namespace("kube-system", service("metrics-server", port=443)))
    objects["apiservices"] = [api_service("metrics.k8s.io", "v1beta1", ("kube-system", "metrics-server"),
                                          available=False, reason="FailedDiscoveryCheck", since=-4,
                                          message="failing or missing response from https://10.1.0.9:10250")]
    objects["horizontalpodautoscalers"] = list(autoscalers)
    return cluster


def test_an_hpa_blind_for_a_down_metrics_api_points_at_the_service_serving_it(tmp_path: Path) -> None:
    cluster = _metrics_server_down(_blind("checkout-hpa", "checkout", "FailedGetResourceMetric", NO_RESOURCE_METRICS))
    (finding,) = found(HpaMetricsUnavailableAnalyzer(), cluster, tmp_path)
    assert (finding.kind, finding.subject, finding.severity) == ("hpa_metrics_unavailable", "checkout", "warning")
    evidence = finding.evidence
    assert (evidence["hpa"], evidence["reason"], evidence["metrics_api"]) == (
        "checkout-hpa", "FailedGetResourceMetric", "metrics.k8s.io")
    assert evidence["apiservice"] == "v1beta1.metrics.k8s.io" and evidence["api_service"] == "kube-system/metrics-server"
    assert evidence["target"] == ["metrics-server.kube-system.svc:443"]  # correlation reads it as a dependency
    assert "held at 2 replica(s)" in finding.summary and "APIService v1beta1.metrics.k8s.io" in finding.summary
    actions = {action.id.split("-checkout")[0]: action for action in suggest([finding], "shop")}
    assert actions["describe-hpa"].command == "kubectl describe hpa checkout-hpa -n shop"
    assert actions["check-metrics-apiservice"].command == "kubectl get apiservice v1beta1.metrics.k8s.io -o yaml"
    assert actions["check-metrics-api"].command == "kubectl get --raw /apis/metrics.k8s.io"
    assert actions["scale-by-hand"].requires_approval


def test_the_down_api_counts_the_hpa_as_a_dependent_on_the_workload_it_scales(tmp_path: Path) -> None:
    cluster = _metrics_server_down(_blind("checkout-hpa", "checkout", "FailedGetResourceMetric", NO_RESOURCE_METRICS))
    (cause,) = found(AggregatedApiAnalyzer(), cluster, tmp_path)  # no event needed: the HPA's status says it
    assert cause.subject == "metrics-server" and cause.severity == "critical"
    assert cause.evidence["dependents"] == ["HorizontalPodAutoscaler/shop/checkout-hpa"]
    assert cause.evidence["blocked_callers"] == ["checkout"]


def test_a_keda_hpa_whose_event_names_the_external_metrics_api_blocks_the_workload_it_scales(tmp_path: Path) -> None:
    cluster = healthy_cluster()
    cluster["objects"]["apiservices"] = [api_service(
        "external.metrics.k8s.io", "v1beta1", ("keda", "keda-operator-metrics-apiserver"), available=False,
        reason="FailedDiscoveryCheck", message="failing or missing response")]
    cluster["objects"]["horizontalpodautoscalers"] = [hpa("keda-hpa-orders-worker", "orders-consumer", current=1,
                                                          maximum=20, cpu=None)]
    cluster["objects"]["events"].append(event("HorizontalPodAutoscaler", "keda-hpa-orders-worker",
                                              "FailedGetExternalMetric", NO_EXTERNAL_METRIC, at=8, count=12))
    (cause,) = found(AggregatedApiAnalyzer(), cluster, tmp_path)
    assert cause.evidence["blocked_callers"] == ["orders-consumer"]  # not the HPA's own name


def test_an_invalid_selector_is_the_hpa_own_fault_with_no_api_to_blame(tmp_path: Path) -> None:
    cluster = healthy_cluster()
    cluster["objects"]["horizontalpodautoscalers"] = [_blind("payments", "payments", "InvalidSelector", BAD_SELECTOR)]
    (finding,) = found(HpaMetricsUnavailableAnalyzer(), cluster, tmp_path)
    assert finding.subject == "payments" and finding.evidence["reason"] == "InvalidSelector"
    assert not {"apiservice", "target", "metrics_api"} & set(finding.evidence)
    assert finding.score > 0.45  # nothing else explains it


def test_its_events_are_left_to_it_not_repeated_as_warning_events(tmp_path: Path) -> None:
    cluster = healthy_cluster()
    cluster["objects"]["horizontalpodautoscalers"] = [_blind("payments", "payments", "InvalidSelector", BAD_SELECTOR)]
    cluster["objects"]["events"].append(event("HorizontalPodAutoscaler", "payments", "SelectorRequired",
                                              BAD_SELECTOR, at=5, count=30))
    assert [f for f in found(WarningEventsAnalyzer(), cluster, tmp_path) if f.subject == "payments"] == []


def test_scaling_active_or_switched_off_on_purpose_is_nothing(tmp_path: Path) -> None:
    healthy = hpa("checkout", "checkout", current=2, maximum=6, cpu=(70, 40))
    off = _blind("payments", "payments", "ScalingDisabled", "scaling is disabled since the replica count of the "
                 "target is zero")
    cluster = _metrics_server_down(healthy, off)
    assert found(HpaMetricsUnavailableAnalyzer(), cluster, tmp_path) == []
    assert found(HpaMetricsUnavailableAnalyzer(), healthy_cluster(), tmp_path) == []
