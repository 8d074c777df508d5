from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, scenario
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.pod_pending import PendingPodAnalyzer


def test_the_unschedulable_cluster_yields_pod_unschedulable_on_payments(tmp_path: Path) -> None:
    broken = scenario("unschedulable")
    [finding] = [f for f in found(PendingPodAnalyzer(), broken.cluster(), tmp_path) if f.subject == "payments"]
    assert finding.kind == "pod_unschedulable"
    assert finding.severity == "critical"  # no node can take the pods
    for key, expected in broken.evidence.items():
        assert finding.evidence.get(key) == expected, key
    assert finding.window is not None and finding.query


def test_a_healthy_cluster_gives_no_pod_unschedulable(tmp_path: Path) -> None:
    assert found(PendingPodAnalyzer(), healthy_cluster(), tmp_path) == []
