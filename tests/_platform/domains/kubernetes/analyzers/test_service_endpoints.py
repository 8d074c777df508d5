from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.service_endpoints import ServiceEndpointsAnalyzer


def test_the_selector_mismatch_cluster_yields_service_no_endpoints_on_payments(tmp_path: Path) -> None:
    finding = found_on(ServiceEndpointsAnalyzer(), "selector_mismatch", "payments", tmp_path)
    assert finding.kind == "service_no_endpoints"
    assert finding.severity == "critical"  # nothing answers behind the service


def test_a_healthy_cluster_gives_no_service_no_endpoints(tmp_path: Path) -> None:
    assert found(ServiceEndpointsAnalyzer(), healthy_cluster(), tmp_path) == []
