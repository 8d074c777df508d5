from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import api_service, event, healthy_cluster

from functions._platform.domains.kubernetes.analyzers.warning_events import WarningEventsAnalyzer


def test_the_mount_failures_cluster_yields_warning_events_on_frontend(tmp_path: Path) -> None:
    finding = found_on(WarningEventsAnalyzer(), "mount_failures", "frontend", tmp_path)
    assert finding.kind == "warning_events"
    assert finding.severity == "warning"  # events are symptoms to read, not a verdict


def test_a_healthy_cluster_gives_no_warning_events(tmp_path: Path) -> None:
    assert found(WarningEventsAnalyzer(), healthy_cluster(), tmp_path) == []


def test_hpa_events_naming_an_unavailable_api_are_left_to_that_api_finding(tmp_path: Path) -> None:
    blind = ("failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from "
             "resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)")
    cluster = healthy_cluster()
    cluster["objects"]["events"].append(event("HorizontalPodAutoscaler", "checkout", "FailedGetResourceMetric",
                                              blind, at=6, count=20))
    metrics_api = api_service("metrics.k8s.io", "v1beta1", ("kube-system", "metrics-server"), available=False,
                              reason="MissingEndpoints", message="no addresses")
    cluster["objects"]["apiservices"] = [metrics_api]
    assert found(WarningEventsAnalyzer(), cluster, tmp_path / "down") == []
    cluster["objects"]["apiservices"] = [api_service("metrics.k8s.io", "v1beta1", ("kube-system", "metrics-server"))]
    (finding,) = found(WarningEventsAnalyzer(), cluster, tmp_path / "up")
    assert (finding.subject, finding.evidence["reason"]) == ("checkout", "FailedGetResourceMetric")
