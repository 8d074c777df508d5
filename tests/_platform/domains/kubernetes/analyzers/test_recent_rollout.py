from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, scenario
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.recent_rollout import RecentRolloutAnalyzer


def test_the_image_rollout_cluster_yields_recent_rollout_on_checkout(tmp_path: Path) -> None:
    broken = scenario("image_rollout")
    [finding] = [f for f in found(RecentRolloutAnalyzer(), broken.cluster(), tmp_path) if f.subject == "checkout"]
    assert finding.kind == "recent_rollout"
    assert finding.severity == "info"  # a change is context, not a failure by itself
    for key, expected in broken.evidence.items():
        assert finding.evidence.get(key) == expected, key
    assert finding.window is not None and finding.query


def test_the_config_change_cluster_yields_recent_rollout_on_checkout(tmp_path: Path) -> None:
    broken = scenario("config_change")
    [finding] = [f for f in found(RecentRolloutAnalyzer(), broken.cluster(), tmp_path) if f.subject == "checkout"]
    assert finding.kind == "recent_rollout"
    assert finding.severity == "info"  # a change is context, not a failure by itself
    for key, expected in broken.evidence.items():
        assert finding.evidence.get(key) == expected, key
    assert finding.window is not None and finding.query


def test_a_healthy_cluster_gives_no_recent_rollout(tmp_path: Path) -> None:
    assert found(RecentRolloutAnalyzer(), healthy_cluster(), tmp_path) == []
