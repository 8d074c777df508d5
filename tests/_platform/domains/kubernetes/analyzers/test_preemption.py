"""pod_preemption: the scheduler evicted running pods to make room for one of higher priority; the finding is on
the preemptor's workload, with the preempted workloads as its blocked callers, and critical while their
replacements are Pending for want of room."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kube_snapshots import found
from support.kube_cluster import event, healthy_cluster, in_namespace, pending, pod

from functions._platform.domains.kubernetes.analyzers.preemption import PreemptionAnalyzer
from functions.report.actions import suggest

UID = "1e13194f-be38-0f8d-f99d-c432b3c306ce"
NO_ROOM = "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found"


def _cluster(replacement_pending: bool = True, message: str = f"Preempted by pod {UID} on node node-1") -> dict[str, Any]:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    batch = in_namespace("ml", pod("backfill", "f00d00", "0", "registry.local/backfill:1", node="node-1"))
    batch["metadata"]["uid"] = UID
    batch["spec"] |= {"priorityClassName": "platform-critical", "priority": 1000000}
    objects["pods"].append(batch)
    # the victims are gone; their ReplicaSets remain and made replacements
    objects["pods"] = [p for p in objects["pods"] if not p["metadata"]["name"].startswith("checkout-")]
    for victim in ("checkout-aaa111-x1", "checkout-aaa111-x2"):
        objects["events"].append(event("Pod", victim, "Preempted", message, at=1, type_="Normal"))
    if replacement_pending:
        objects["pods"].append(pending("checkout", "aaa111", "n1", "registry.local/checkout:1.0", NO_ROOM, 2))
    return cluster


def test_the_preemptor_is_blamed_for_the_pods_it_took_the_room_of(tmp_path: Path) -> None:
    (finding,) = found(PreemptionAnalyzer(), _cluster(), tmp_path)
    assert finding.subject == "backfill" and finding.severity == "critical"
    assert finding.evidence["blocked_callers"] == ["checkout"] and finding.evidence["still_pending"] == 1
    assert finding.evidence["priority_class"] == "platform-critical" and finding.evidence["victims"] == [
        "checkout (shop, 2 pod(s))"]
    commands = [action.command for action in suggest([finding], "ml")]
    assert "kubectl get priorityclass platform-critical -o yaml" in commands


def test_once_the_replacements_run_it_is_a_warning(tmp_path: Path) -> None:
    (finding,) = found(PreemptionAnalyzer(), _cluster(replacement_pending=False), tmp_path)
    assert finding.severity == "warning" and finding.score == 0.5


def test_a_preemptor_that_is_not_listed_or_no_preemption_finds_nothing(tmp_path: Path) -> None:
    assert found(PreemptionAnalyzer(), _cluster(message="Preempted by pod 00000000-0000-0000-0000-000000000000"),
                 tmp_path) == []
    cluster = _cluster()
    cluster["objects"]["events"] = [e for e in cluster["objects"]["events"] if e["reason"] != "Preempted"]
    assert found(PreemptionAnalyzer(), cluster, tmp_path / "2") == []
