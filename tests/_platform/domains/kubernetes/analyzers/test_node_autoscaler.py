"""node_autoscaler_down: search pods wait for room and the cluster-autoscaler that would add nodes is itself Pending
(its nodeSelector names a retired node group), so no scale-up is tried; the finding is on the autoscaler."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kube_snapshots import found
from support.kube_cluster import event, healthy_cluster, in_namespace, pending

from functions._platform.domains.kubernetes.analyzers.node_autoscaler import NodeAutoscalerAnalyzer

NO_ROOM = "0/6 nodes are available: 2 node(s) had untolerated taint {CriticalAddonsOnly: true}, 4 Insufficient cpu."
NO_NODE = "0/6 nodes are available: 6 node(s) didn't match Pod's node affinity/selector."


def _cluster(autoscaler_pending: bool = True, tried: bool = False) -> dict[str, Any]:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    objects["pods"].append(pending("search-api", "7lb28j", "q8cq7", "registry.local/search-api:4.1", NO_ROOM, 3))
    objects["events"].append(event("Pod", "search-api-7lb28j-q8cq7", "FailedScheduling", NO_ROOM, at=3, count=20))
    if tried:
        objects["events"].append(event("Pod", "search-api-7lb28j-q8cq7", "NotTriggerScaleUp",
                                       "pod didn't trigger scale-up: 1 max node group size reached", at=4,
                                       type_="Normal"))
    autoscaler = in_namespace("kube-system", pending("cluster-autoscaler", "bhdbzw", "fzq8n",
                                                     "registry.k8s.io/autoscaling/cluster-autoscaler:v1.31.0", NO_NODE, -300))
    if not autoscaler_pending:
        autoscaler["status"] = {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}
    objects["pods"].append(autoscaler)
    return cluster


def test_a_pending_autoscaler_is_blamed_for_the_pods_waiting_for_room(tmp_path: Path) -> None:
    (finding,) = found(NodeAutoscalerAnalyzer(), _cluster(), tmp_path)
    assert (finding.subject, finding.severity) == ("cluster-autoscaler", "critical")
    assert finding.evidence["blocked_callers"] == ["search-api"] and finding.evidence["agent_state"] == "Pending"


def test_a_running_autoscaler_or_one_that_answered_is_not(tmp_path: Path) -> None:
    assert found(NodeAutoscalerAnalyzer(), _cluster(autoscaler_pending=False), tmp_path / "running") == []
    assert found(NodeAutoscalerAnalyzer(), _cluster(tried=True), tmp_path / "tried") == []
