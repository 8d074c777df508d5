from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, scenario
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.workload_health import WorkloadHealthAnalyzer


def test_the_stalled_rollout_cluster_yields_deployment_unavailable_on_frontend(tmp_path: Path) -> None:
    broken = scenario("stalled_rollout")
    [finding] = [f for f in found(WorkloadHealthAnalyzer(), broken.cluster(), tmp_path) if f.subject == "frontend"]
    assert finding.kind == "deployment_unavailable"
    assert finding.severity == "warning"  # one of two replicas still serves
    for key, expected in broken.evidence.items():
        assert finding.evidence.get(key) == expected, key
    assert finding.window is not None and finding.query


def test_a_healthy_cluster_gives_no_deployment_unavailable(tmp_path: Path) -> None:
    assert found(WorkloadHealthAnalyzer(), healthy_cluster(), tmp_path) == []
