from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.probe_failure import ProbeFailureAnalyzer


def test_the_probe_failure_cluster_yields_probe_failure_on_checkout(tmp_path: Path) -> None:
    finding = found_on(ProbeFailureAnalyzer(), "probe_failure", "checkout", tmp_path)
    assert finding.kind == "probe_failure"
    assert finding.severity == "warning"  # pods still run; they drop out of the endpoints


def test_a_healthy_cluster_gives_no_probe_failure(tmp_path: Path) -> None:
    assert found(ProbeFailureAnalyzer(), healthy_cluster(), tmp_path) == []
