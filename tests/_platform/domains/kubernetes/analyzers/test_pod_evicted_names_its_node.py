"""An eviction names the node whose kubelet evicted the pod as the failing dependency, so correlation ranks a
node under pressure above the workloads it evicted."""

from __future__ import annotations

from support.kube_cluster import WINDOW_END, WINDOW_START, pod, ts

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.pod_evicted import EvictedPodAnalyzer
from functions.correlate.finding_links import named_dependencies
from sreo_events.models import TimeWindow

MESSAGE = "The node was low on resource: ephemeral-storage. Container cart was using 148Ki, request is 0."


def _evicted(app: str, suffix: str, node: str) -> dict:
    evicted = pod(app, "abc123", suffix, f"registry.local/{app}:1", node=node, ready=False)
    evicted["status"].update(phase="Failed", reason="Evicted", message=MESSAGE)
    evicted["status"]["conditions"].append({"type": "DisruptionTarget", "status": "True", "lastTransitionTime": ts(3)})
    return evicted


def test_the_evicting_node_is_the_named_dependency():
    data = ClusterState(pods=[_evicted("cart", "e1", "node-3"), _evicted("cart", "e2", "node-3")])
    context = AnalysisContext.around("kubernetes", TimeWindow(start=WINDOW_START, end=WINDOW_END))
    [finding] = EvictedPodAnalyzer().analyze(data, context)
    assert finding.subject == "cart"
    assert finding.evidence["nodes"] == ["node-3"]
    assert named_dependencies(finding) == {"node/node-3"}
