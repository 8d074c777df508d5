"""Pods of the focus were preempted by a pod of higher priority in another namespace (the event names it by
uid): the agent finds it across the cluster and names its workload, which the preempted workload depends on."""

from __future__ import annotations

from pathlib import Path

from support.kube_cluster import (
    event,
    find,
    healthy_cluster,
    in_namespace,
    investigation,
    pending,
    pod,
    write_snapshot,
)

from functions._platform.config import Settings
from functions._platform.mcp.client import ToolSession
from functions.agents.investigate import collect_evidence

PREEMPTOR_UID = "0511e6de-a23c-21ad-c3d3-fec354d9a556"
NO_ROOM = "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found"


def _cluster(message: str) -> dict:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    backfill = in_namespace("ml", pod("embeddings-backfill", "b4c4f1", "0", "registry.local/embed:0.2", node="node-2"))
    backfill["metadata"]["uid"] = PREEMPTOR_UID
    backfill["spec"] |= {"priorityClassName": "platform-critical", "priority": 1000000}
    objects["pods"].append(backfill)
    objects["pods"].append(pending("payments", "bbb222", "r3", "registry.local/payments:2.3", NO_ROOM, 3))
    objects["events"].append(event("Pod", "payments-bbb222-x2", "Preempted", message, at=2, type_="Normal"))
    objects["events"].append(event("Pod", "payments-bbb222-r3", "FailedScheduling", NO_ROOM, at=3, count=12))
    find(cluster, "pods", "payments-bbb222-x2")["status"]["phase"] = "Failed"
    return cluster


def _evidence(cluster: dict, tmp_path: Path):
    root = write_snapshot(cluster, tmp_path / "snapshot")
    evidence = collect_evidence(investigation("payments", "shop"), Settings(kube_snapshot=root, home=tmp_path))
    assert evidence.status == "success", evidence.error
    return evidence


def test_the_preemptor_in_another_namespace_is_found_by_its_uid(tmp_path: Path) -> None:
    evidence = _evidence(_cluster(f"Preempted by pod {PREEMPTOR_UID} on node node-2"), tmp_path)
    (preempted,) = [f for f in evidence.findings if f.kind == "pod_preemption"]
    assert preempted.subject == "embeddings-backfill" and preempted.evidence["namespace"] == "ml"
    assert preempted.evidence["blocked_callers"] == ["payments"] and preempted.severity == "critical"
    assert preempted.evidence["priority_class"] == "platform-critical" and preempted.evidence["still_pending"] == 1
    assert 'list_pods({"namespace": "ml"})' in preempted.query


def test_the_older_message_naming_the_pod_is_read_too(tmp_path: Path) -> None:
    evidence = _evidence(_cluster("Preempted by ml/embeddings-backfill-b4c4f1-0 on node node-2"), tmp_path)
    assert [f.subject for f in evidence.findings if f.kind == "pod_preemption"] == ["embeddings-backfill"]


def test_without_a_preemption_event_the_other_namespace_is_not_read(tmp_path: Path) -> None:
    cluster = _cluster("Preempted by pod 00000000-0000-0000-0000-000000000000 on node node-2")
    evidence = _evidence(cluster, tmp_path)
    assert not [f for f in evidence.findings if f.kind == "pod_preemption" or f.subject == "embeddings-backfill"]


def test_the_cluster_pods_are_listed_once_for_every_step_that_wants_them(tmp_path: Path, monkeypatch) -> None:
    cluster = _cluster(f"Preempted by pod {PREEMPTOR_UID} on node node-2")
    client = in_namespace("batch", pod("ledger-sync", "d00d11", "a1", "registry.local/ledger-sync:1.4", restarts=4))
    client["status"]["podIP"] = "10.244.7.31"
    cluster["objects"]["pods"].append(client)
    cluster["logs"][("shop", "payments-bbb222-x1", "payments", False)] = (
        "2026-03-14T10:20:00Z WARN connection reset by peer 10.244.7.31:51544\n")
    calls: list[tuple[str, dict]] = []
    real_call = ToolSession.call

    async def counted(self, tool, arguments=None):
        calls.append((tool, dict(arguments or {})))
        return await real_call(self, tool, arguments)

    monkeypatch.setattr(ToolSession, "call", counted)
    evidence = _evidence(cluster, tmp_path)
    assert {"pod_preemption"} <= {f.kind for f in evidence.findings}
    assert ("list_pods", {"namespace": "batch"}) in calls  # the client was looked for, and found
    assert calls.count(("list_pods", {})) == 1
