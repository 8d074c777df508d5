from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.pod_evicted import EvictedPodAnalyzer


def test_the_evicted_cluster_yields_pod_evicted_on_frontend(tmp_path: Path) -> None:
    finding = found_on(EvictedPodAnalyzer(), "evicted", "frontend", tmp_path)
    assert finding.kind == "pod_evicted"
    assert finding.severity == "warning"  # the workload replaced the evicted pod


def test_a_healthy_cluster_gives_no_pod_evicted(tmp_path: Path) -> None:
    assert found(EvictedPodAnalyzer(), healthy_cluster(), tmp_path) == []
