from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.ingress_backend import IngressBackendAnalyzer


def test_the_ingress_missing_cluster_yields_ingress_backend_missing_on_ingress_shop(tmp_path: Path) -> None:
    finding = found_on(IngressBackendAnalyzer(), "ingress_missing", "ingress/shop", tmp_path)
    assert finding.kind == "ingress_backend_missing"
    assert finding.severity == "critical"  # the host routes to nothing


def test_a_healthy_cluster_gives_no_ingress_backend_missing(tmp_path: Path) -> None:
    assert found(IngressBackendAnalyzer(), healthy_cluster(), tmp_path) == []
