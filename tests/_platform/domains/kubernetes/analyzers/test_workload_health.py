from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.workload_health import WorkloadHealthAnalyzer


def test_the_stalled_rollout_cluster_yields_deployment_unavailable_on_frontend(tmp_path: Path) -> None:
    finding = found_on(WorkloadHealthAnalyzer(), "stalled_rollout", "frontend", tmp_path)
    assert finding.kind == "deployment_unavailable"
    assert finding.severity == "warning"  # one of two replicas still serves


def test_a_healthy_cluster_gives_no_deployment_unavailable(tmp_path: Path) -> None:
    assert found(WorkloadHealthAnalyzer(), healthy_cluster(), tmp_path) == []
