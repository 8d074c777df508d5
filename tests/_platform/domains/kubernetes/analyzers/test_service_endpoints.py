from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, scenario
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.service_endpoints import ServiceEndpointsAnalyzer


def test_the_selector_mismatch_cluster_yields_service_no_endpoints_on_payments(tmp_path: Path) -> None:
    broken = scenario("selector_mismatch")
    [finding] = [f for f in found(ServiceEndpointsAnalyzer(), broken.cluster(), tmp_path) if f.subject == "payments"]
    assert finding.kind == "service_no_endpoints"
    assert finding.severity == "critical"  # nothing answers behind the service
    for key, expected in broken.evidence.items():
        assert finding.evidence.get(key) == expected, key
    assert finding.window is not None and finding.query


def test_a_healthy_cluster_gives_no_service_no_endpoints(tmp_path: Path) -> None:
    assert found(ServiceEndpointsAnalyzer(), healthy_cluster(), tmp_path) == []
