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


def _with_new_workload(created: str, first_replicaset: str) -> dict:
    from support.kube_cluster import deployment, replicaset

    cluster = healthy_cluster()
    new = deployment("usage-aggregator", "registry.local/usage-aggregator:1.0.0", replicas=6)
    new["metadata"]["creationTimestamp"] = created
    cluster["objects"]["deployments"].append(new)
    cluster["objects"]["replicasets"].append(
        replicaset("usage-aggregator", "registry.local/usage-aggregator:1.0.0", "eee555", 1, first_replicaset, 6))
    return cluster


def test_a_workload_first_deployed_in_the_window_is_a_change(tmp_path: Path) -> None:
    from support.kube_cluster import ts

    [finding] = found(RecentRolloutAnalyzer(), _with_new_workload(ts(3), ts(3)), tmp_path)
    assert (finding.subject, finding.evidence["change"], finding.evidence["replicas"]) == (
        "usage-aggregator", "new_workload", 6)
    assert "first deployed at" in finding.summary and finding.onset is not None
    from functions.report.actions import suggest

    titles = [action.title for action in suggest([finding], "shop", "usage-aggregator")]
    assert titles[0].startswith("Scale usage-aggregator down") and not any("revision" in t for t in titles)


def test_a_lone_revision_of_an_old_deployment_is_not_a_new_workload(tmp_path: Path) -> None:
    """Its older ReplicaSets were pruned (revisionHistoryLimit): nothing says what it changed from."""
    from support.kube_cluster import LONG_AGO, ts

    assert found(RecentRolloutAnalyzer(), _with_new_workload(ts(base=LONG_AGO), ts(3)), tmp_path) == []


def test_a_deployment_scaled_up_in_the_window_is_a_change_a_rollout_is_not_a_scale_up(tmp_path: Path) -> None:
    from support.kube_cluster import event

    cluster = healthy_cluster()
    cluster["objects"]["events"] += [
        event("Deployment", "payments", "ScalingReplicaSet", "Scaled up replica set payments-bbb222 to 12 from 2",
              at=4, type_="Normal"),
        event("Deployment", "payments", "ScalingReplicaSet", "Scaled up replica set payments-bbb222 to 4", at=-300,
              type_="Normal"),  # days before the baseline: not this incident's change
        event("Deployment", "checkout", "ScalingReplicaSet", "Scaled down replica set checkout-aaa111 to 1", at=4,
              type_="Normal"),
    ]
    [finding] = found(RecentRolloutAnalyzer(), cluster, tmp_path)
    assert (finding.subject, finding.evidence["change"], finding.evidence["replicas"],
            finding.evidence["scaled_from"]) == ("payments", "scale_up", 12, 2)
    from functions.report.actions import suggest

    [first, *_] = suggest([finding], "shop", "payments")
    assert first.command == "kubectl scale deployment/payments -n shop --replicas=2" and first.requires_approval
