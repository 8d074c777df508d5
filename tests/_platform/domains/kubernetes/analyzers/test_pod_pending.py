from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.pod_pending import PendingPodAnalyzer


def test_the_unschedulable_cluster_yields_pod_unschedulable_on_payments(tmp_path: Path) -> None:
    finding = found_on(PendingPodAnalyzer(), "unschedulable", "payments", tmp_path)
    assert finding.kind == "pod_unschedulable"
    assert finding.severity == "critical"  # no node can take the pods


def test_a_healthy_cluster_gives_no_pod_unschedulable(tmp_path: Path) -> None:
    assert found(PendingPodAnalyzer(), healthy_cluster(), tmp_path) == []
