from __future__ import annotations

from pathlib import Path

from kube_snapshots import CONTEXT, found, scenario, state_of
from support.kube_cluster import healthy_cluster, pod, write_snapshot

from functions._platform.analyzers.runner import run
from functions._platform.domains.kubernetes.analyzers.node_health import NodeHealthAnalyzer


def test_a_node_at_its_allocatable_pod_count(tmp_path: Path):
    cluster = healthy_cluster()
    cluster["objects"]["nodes"][0]["status"]["allocatable"] = {"pods": "7", "cpu": "2", "memory": "8Gi"}
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path)), CONTEXT)
    assert not [f for f in findings if f.evidence.get("condition") == "PodCapacity"]
    cluster["objects"]["pods"] += [pod(f"filler{i}", "fff000", "a", "busybox", node="node-1") for i in range(3)]
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path / "full")), CONTEXT)
    full = [f for f in findings if f.evidence.get("condition") == "PodCapacity"]
    assert [f.subject for f in full] == ["node/node-1"] and full[0].evidence["pods_on_node"] == 7


def test_a_node_that_stopped_reporting_is_not_ready_and_pressure_is_its_own_kind(tmp_path: Path):
    down = [f for f in found(NodeHealthAnalyzer(), scenario("node_down").cluster(), tmp_path / "down")
            if f.subject == "node/node-2"]
    assert [(f.kind, f.severity) for f in down] == [("node_not_ready", "critical")]
    [pressure] = found(NodeHealthAnalyzer(), scenario("node_memory").cluster(), tmp_path / "memory")
    assert (pressure.kind, pressure.subject, pressure.severity) == ("node_pressure", "node/node-1", "warning")
    assert pressure.evidence["condition"] == "MemoryPressure"


def test_a_healthy_cluster_gives_no_node_finding(tmp_path: Path):
    assert found(NodeHealthAnalyzer(), healthy_cluster(), tmp_path) == []


def test_a_condition_node_problem_detector_sets_is_the_nodes_problem(tmp_path: Path):
    """NTPProblem True (the clock is off) is a problem; False conditions and ones named for a good state are not."""
    cluster = healthy_cluster()
    conditions = cluster["objects"]["nodes"][1]["status"]["conditions"]
    conditions += [
        {"type": "NTPProblem", "status": "True", "reason": "ClockOffsetTooLarge",
         "message": "chronyd: system time 221.4 seconds slow of NTP time", "lastTransitionTime": "2026-03-14T10:01:00Z"},
        {"type": "KernelDeadlock", "status": "False", "reason": "KernelHasNoDeadlock", "message": "kernel is fine"},
        {"type": "NetworkingReady", "status": "True", "reason": "NetworkingIsUp", "message": "cni is up"}]
    [problem] = found(NodeHealthAnalyzer(), cluster, tmp_path)
    assert (problem.kind, problem.subject, problem.evidence["condition"]) == ("node_problem", "node/node-2", "NTPProblem")
    assert problem.evidence["workloads_on_node"]
