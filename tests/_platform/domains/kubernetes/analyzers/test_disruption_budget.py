"""pdb_blocks_drain: a cordoned node still holds a pod whose PodDisruptionBudget allows no eviction, so the drain
cannot finish and the node's capacity is held back: the finding is on the protected workload, with the pods
waiting for that capacity (and the drainer whose log reports the refusals) as its blocked callers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from kube_snapshots import found
from support.kube_cluster import (
    cordoned,
    event,
    healthy_cluster,
    in_namespace,
    member,
    node,
    pdb,
    pending,
    pod,
    ts,
)

from functions._platform.analyzers.kinds import lookup
from functions._platform.domains.kubernetes.analyzers.disruption_budget import DisruptionBudgetAnalyzer
from functions._platform.domains.kubernetes.analyzers.placement import parse_time
from functions.report.actions import suggest

UNSCHEDULABLE = "0/2 nodes are available: 1 node(s) were unschedulable, 1 Insufficient cpu. preemption: 0/2 nodes"
REFUSED = ('error when evicting pods/"zookeeper-1" -n "data" (will retry after 5s): Cannot evict pod as it would '
           "violate the pod's disruption budget.\n")


def _at(minutes: float) -> datetime | None:
    return parse_time(ts(minutes))


def _cluster(budget: dict[str, Any] | None = None, cordon: bool = True, waiting: bool = True) -> dict[str, Any]:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    objects["nodes"] = [node("node-1"), cordoned(node("node-2"), at=-20) if cordon else node("node-2")]
    objects["pods"] += [in_namespace("data", member("zookeeper", i, "zookeeper:3.9", on))
                        for i, on in enumerate(("node-1", "node-2", "node-1"))]
    objects["poddisruptionbudgets"] = [in_namespace("data", budget or pdb("zookeeper", {"app": "zookeeper"}, 3))]
    if waiting:
        objects["pods"].append(pending("search", "new9", "p1", "registry.local/search:5.2", UNSCHEDULABLE, 12))
        objects["events"].append(event("Pod", "search-new9-p1", "FailedScheduling", UNSCHEDULABLE, at=12, count=9))
    return cluster


def test_a_budget_holding_a_cordoned_node_blocks_the_pods_waiting_for_its_capacity(tmp_path: Path) -> None:
    (finding,) = found(DisruptionBudgetAnalyzer(), _cluster(), tmp_path)
    assert (finding.kind, finding.subject, finding.severity) == ("pdb_blocks_drain", "zookeeper", "critical")
    evidence = finding.evidence
    assert (evidence["namespace"], evidence["pdb"], evidence["nodes"]) == ("data", "zookeeper", ["node-2"])
    assert evidence["held_pods"] == ["zookeeper-1"] and evidence["blocked_callers"] == ["search"]
    assert evidence["budget"] == "minAvailable 3 of 3 pod(s): it never allows an eviction"
    assert evidence["waiting_for_capacity"] == ["shop/search"] and evidence["cordoned_at"] == _at(-20).isoformat()
    assert finding.onset == _at(12)  # it began to harm when pods waited
    assert "snapshot:poddisruptionbudgets" in finding.query


def test_the_drainers_refusals_are_counted_and_it_waits_on_the_budget_too(tmp_path: Path) -> None:
    cluster = _cluster()
    drainer = pod("node-upgrade", "up1", "d1", "rancher/kubectl:1.30")
    cluster["objects"]["pods"].append(drainer)
    cluster["logs"][("shop", drainer["metadata"]["name"], "drain", False)] = (
        "evicting pod data/zookeeper-1\n" + REFUSED) * 4 + "node/node-2 cordoned\n"
    (finding,) = found(DisruptionBudgetAnalyzer(), cluster, tmp_path)
    assert finding.evidence["eviction_refusals"] == 4
    assert finding.evidence["blocked_callers"] == ["node-upgrade", "search"]


def test_without_waiting_pods_a_stalled_drain_is_a_warning(tmp_path: Path) -> None:
    (finding,) = found(DisruptionBudgetAnalyzer(), _cluster(waiting=False), tmp_path)
    assert finding.severity == "warning" and finding.evidence["blocked_callers"] == []
    assert finding.onset == _at(-20)


def test_a_budget_waiting_for_unhealthy_pods_says_so(tmp_path: Path) -> None:
    budget = pdb("zookeeper", {"app": "zookeeper"}, 3, healthy=2, min_available=2)
    (finding,) = found(DisruptionBudgetAnalyzer(), _cluster(budget), tmp_path)
    assert finding.evidence["budget"] == "minAvailable 2 of 3 pod(s), 2 healthy: its unhealthy pods use up the budget"


def test_a_budget_that_allows_an_eviction_or_an_uncordoned_node_is_no_finding(tmp_path: Path) -> None:
    allowing = pdb("zookeeper", {"app": "zookeeper"}, 3, max_unavailable=1)
    assert found(DisruptionBudgetAnalyzer(), _cluster(allowing), tmp_path / "a") == []
    assert found(DisruptionBudgetAnalyzer(), _cluster(cordon=False), tmp_path / "b") == []
    elsewhere = pdb("zookeeper", {"app": "not-zookeeper"}, 3)
    assert found(DisruptionBudgetAnalyzer(), _cluster(elsewhere), tmp_path / "c") == []


def test_its_actions_name_the_budget_and_the_node(tmp_path: Path) -> None:
    (finding,) = found(DisruptionBudgetAnalyzer(), _cluster(), tmp_path)
    actions = {action.id.split("-zookeeper")[0]: action for action in suggest([finding], "data")}
    relax = actions["relax-budget"]
    assert relax.command == "kubectl get pdb -n data zookeeper -o yaml" and relax.requires_approval
    assert "node-2" in relax.title and "minAvailable 3 of 3" in relax.title
    assert actions["watch-drain"].command == "kubectl get nodes node-2"
    kind = lookup("pdb_blocks_drain")
    assert kind is not None and kind.runbook_alerts == ("KubePodDisruptionBudgetBlocksDrain",)
