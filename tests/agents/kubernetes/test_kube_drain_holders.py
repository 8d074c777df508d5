"""The focus's new pods wait for a cordoned node's capacity: the agent lists the PodDisruptionBudgets across the
cluster, finds the one that allows no eviction and holds a pod on that node, lists its namespace and names the
workload it protects, on which the waiting pods depend."""

from __future__ import annotations

from pathlib import Path

from support.kube_cluster import (
    cordoned,
    event,
    healthy_cluster,
    in_namespace,
    investigation,
    member,
    node,
    pdb,
    pending,
    write_snapshot,
)

from functions._platform.config import Settings
from functions.agents.investigate import collect_evidence

UNSCHEDULABLE = "0/2 nodes are available: 1 node(s) were unschedulable, 1 Insufficient cpu."


def _cluster(cordon: bool = True) -> dict:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    objects["nodes"] = [node("node-1"), cordoned(node("node-2"), at=-20) if cordon else node("node-2")]
    objects["pods"] += [in_namespace("data", member("zookeeper", i, "zookeeper:3.9", on))
                        for i, on in enumerate(("node-1", "node-2", "node-1"))]
    objects["pods"].append(pending("search", "new9", "p1", "registry.local/search:5.2", UNSCHEDULABLE, 12))
    objects["events"].append(event("Pod", "search-new9-p1", "FailedScheduling", UNSCHEDULABLE, at=12, count=9))
    objects["poddisruptionbudgets"] = [in_namespace("data", pdb("zookeeper", {"app": "zookeeper"}, 3))]
    return cluster


def _evidence(cluster: dict, tmp_path: Path):
    root = write_snapshot(cluster, tmp_path / "snapshot")
    evidence = collect_evidence(investigation("search", "shop"), Settings(kube_snapshot=root, home=tmp_path))
    assert evidence.status == "success", evidence.error
    return evidence


def test_the_budget_holding_the_cordoned_node_is_found_in_its_own_namespace(tmp_path: Path) -> None:
    evidence = _evidence(_cluster(), tmp_path)
    (held,) = [f for f in evidence.findings if f.kind == "pdb_blocks_drain"]
    assert held.subject == "zookeeper" and held.evidence["namespace"] == "data"
    assert held.evidence["blocked_callers"] == ["search"] and held.severity == "critical"
    assert 'list_pdbs({"namespace": "data"})' in held.query
    assert ("pod_unschedulable", "search") in {(f.kind, f.subject) for f in evidence.findings}


def test_without_a_cordoned_node_the_other_namespace_is_not_read(tmp_path: Path) -> None:
    evidence = _evidence(_cluster(cordon=False), tmp_path)
    assert not [f for f in evidence.findings if f.subject == "zookeeper" or f.kind == "pdb_blocks_drain"]
