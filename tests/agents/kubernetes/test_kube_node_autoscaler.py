"""Pods of the focus wait for room and nothing scales the nodes: the agent finds the cluster-autoscaler, Pending in
kube-system, which the alert did not name."""

from __future__ import annotations

from pathlib import Path

from support.kube_cluster import event, healthy_cluster, in_namespace, investigation, pending, write_snapshot

from functions._platform.config import Settings
from functions.agents.investigate import collect_evidence

NO_ROOM = "0/6 nodes are available: 4 Insufficient cpu."


def test_the_pending_autoscaler_in_kube_system_is_found(tmp_path: Path) -> None:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    objects["pods"].append(pending("checkout", "aaa111", "n3", "registry.local/checkout:1.0", NO_ROOM, 3))
    objects["events"].append(event("Pod", "checkout-aaa111-n3", "FailedScheduling", NO_ROOM, at=3, count=20))
    objects["pods"].append(in_namespace("kube-system", pending(
        "cluster-autoscaler", "bhdbzw", "fzq8n", "registry.k8s.io/autoscaling/cluster-autoscaler:v1.31.0",
        "0/6 nodes are available: 6 node(s) didn't match Pod's node affinity/selector.", -300)))
    root = write_snapshot(cluster, tmp_path / "snapshot")
    evidence = collect_evidence(investigation("checkout", "shop"), Settings(kube_snapshot=root, home=tmp_path))
    (down,) = [f for f in evidence.findings if f.kind == "node_autoscaler_down"]
    assert down.subject == "cluster-autoscaler" and down.evidence["blocked_callers"] == ["checkout"]
    assert 'list_pods({"namespace": "kube-system"})' in down.query
