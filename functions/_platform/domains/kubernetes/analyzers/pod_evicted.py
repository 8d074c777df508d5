"""Pods evicted by the kubelet (node pressure): pod_evicted. The kubelet of the node that ran out of a resource
evicts the pod, so the finding names that node (`dependency`: its graph node `node/<name>`) as what failed, the
way a refused call names its target."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    earliest,
    name_of,
    namespace_of,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import clip, parse_time, placed_finding
from sreo_events.models import Finding

POD_EVICTED = FindingKind(
    name="pod_evicted", domain="kubernetes",
    actions=(
        action("eviction-reason", "Read why {subject}'s pods were evicted and clean up the evicted ones",
               "kubectl get pods -n {namespace} --field-selector=status.phase=Failed", "low"),
    ),
)


class EvictedPodAnalyzer:
    kind = "pod_evicted"
    kinds = (POD_EVICTED,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for pod in data.pods:
            status = pod.get("status") or {}
            if status.get("reason") != "Evicted":
                continue
            failed_at = next((parse_time(c.get("lastTransitionTime")) for c in status.get("conditions") or []
                              if c.get("type") in ("Ready", "DisruptionTarget")), None)
            groups[(namespace_of(pod), workload_of(data, pod))].append({
                "pod": name_of(pod), "node": (pod.get("spec") or {}).get("nodeName"),
                "message": clip(status.get("message")), "at": failed_at or parse_time(status.get("startTime")),
            })
        findings = []
        for (namespace, workload), pods in sorted(groups.items()):
            onset = earliest([p["at"] for p in pods])
            findings.append(placed_finding(context, 
                kind="pod_evicted", subject=workload, severity="warning", score=min(0.75, 0.5 + 0.05 * len(pods)),
                summary=f"{workload}: {len(pods)} pod(s) evicted: {pods[0]['message']}", onset=onset,
                query=data.query("pods"),
                evidence={"namespace": namespace, "pods": [p["pod"] for p in pods],
                          "nodes": sorted({p["node"] for p in pods if p["node"]}),
                          "dependency": sorted({f"node/{p['node']}" for p in pods if p["node"]}),
                          "messages": sorted({p["message"] for p in pods})},
            ))
        return findings
