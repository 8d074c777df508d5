from __future__ import annotations

from pathlib import Path

from kube_snapshots import CONTEXT, state_of
from support.kube_cluster import healthy_cluster, pod, write_snapshot

from functions._platform.analyzers.runner import run


def test_a_node_at_its_allocatable_pod_count(tmp_path: Path):
    cluster = healthy_cluster()
    cluster["objects"]["nodes"][0]["status"]["allocatable"] = {"pods": "7", "cpu": "2", "memory": "8Gi"}
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path)), CONTEXT)
    assert not [f for f in findings if f.evidence.get("condition") == "PodCapacity"]
    cluster["objects"]["pods"] += [pod(f"filler{i}", "fff000", "a", "busybox", node="node-1") for i in range(3)]
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path / "full")), CONTEXT)
    full = [f for f in findings if f.evidence.get("condition") == "PodCapacity"]
    assert [f.subject for f in full] == ["node/node-1"] and full[0].evidence["pods_on_node"] == 7
