from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.recent_rollout import RecentRolloutAnalyzer


def test_the_image_rollout_cluster_yields_recent_rollout_on_checkout(tmp_path: Path) -> None:
    finding = found_on(RecentRolloutAnalyzer(), "image_rollout", "checkout", tmp_path)
    assert finding.kind == "recent_rollout"
    assert finding.severity == "info"  # a change is context, not a failure by itself


def test_the_config_change_cluster_yields_recent_rollout_on_checkout(tmp_path: Path) -> None:
    finding = found_on(RecentRolloutAnalyzer(), "config_change", "checkout", tmp_path)
    assert finding.kind == "recent_rollout"
    assert finding.severity == "info"  # a change is context, not a failure by itself


def test_a_healthy_cluster_gives_no_recent_rollout(tmp_path: Path) -> None:
    assert found(RecentRolloutAnalyzer(), healthy_cluster(), tmp_path) == []
