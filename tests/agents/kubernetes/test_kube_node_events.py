"""Events about Nodes live in the default namespace: an investigation scoped to another still reads them, and a
node's own Warning (node-problem-detector's ConntrackFull) is a node_problem on the node its pods run on."""

from __future__ import annotations

from pathlib import Path

from support.kube_cluster import event, healthy_cluster, in_namespace, investigation, write_snapshot

from functions._platform.config import Settings
from functions.agents.investigate import collect_evidence


def _cluster(reason: str) -> dict:
    cluster = healthy_cluster()
    node = cluster["objects"]["nodes"][0]["metadata"]["name"]
    warning = event("Node", node, reason, "kernel: nf_conntrack: table full, dropping packet", at=5, count=240)
    warning["involvedObject"].pop("namespace")  # a Node is cluster-scoped; its events are posted in default
    cluster["objects"]["events"].append(in_namespace("default", warning))
    return cluster


def test_a_node_warning_from_the_default_namespace_is_the_nodes_problem(tmp_path: Path) -> None:
    root = write_snapshot(_cluster("ConntrackFull"), tmp_path / "snapshot")
    evidence = collect_evidence(investigation("checkout", "shop"), Settings(kube_snapshot=root, home=tmp_path))
    assert evidence.status == "success", evidence.error
    [problem] = [f for f in evidence.findings if f.kind == "node_problem"]
    assert (problem.evidence["condition"], problem.evidence["count"]) == ("ConntrackFull", 240)
    assert problem.evidence["workloads_on_node"]


def test_a_kernel_oom_kill_reported_on_the_node_is_the_containers_not_the_nodes(tmp_path: Path) -> None:
    root = write_snapshot(_cluster("OOMKilling"), tmp_path / "snapshot")
    evidence = collect_evidence(investigation("checkout", "shop"), Settings(kube_snapshot=root, home=tmp_path))
    assert not [f for f in evidence.findings if f.kind == "node_problem"]
