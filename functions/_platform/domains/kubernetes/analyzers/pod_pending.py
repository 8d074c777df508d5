"""Pods the scheduler cannot place: pod_unschedulable."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action_per
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    earliest,
    event_first_time,
    events_for,
    name_of,
    namespace_of,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import clip, parse_time, placed_finding
from sreo_events.models import Finding

# "0/3 nodes are available: 1 node(s) had untolerated taint {...}, 2 Insufficient memory. preemption: ..."
SCHEDULER_REASON = re.compile(r"^\s*(\d+)\s+(.+?)\s*\.?\s*$")


def scheduler_reasons(message: str) -> dict[str, int]:
    detail = message.split("available:", 1)[1] if "available:" in message else message
    parts = re.split(r",\s+|\.\s+", detail.split("preemption:", 1)[0])
    return {match[2]: int(match[1]) for part in parts if (match := SCHEDULER_REASON.match(part))}


POD_UNSCHEDULABLE = FindingKind(
    name="pod_unschedulable", domain="kubernetes",
    actions=(
        action_per("scheduler_short_of", "free-capacity", "Free or add capacity ({scheduler_short_of}), or relax "
                   "{subject}'s scheduling constraints", "kubectl describe pods -n {namespace} {pod}", "medium"),
        action_per("unbound_claims", "bind-claims", "{subject}'s pods wait for their PersistentVolumeClaims to bind: "
                   "fix the claims, not the nodes", "kubectl get pvc -n {namespace}", "low"),
    ),
    runbook_alerts=("KubePodNotReady",),
)


class PendingPodAnalyzer:
    kind = "pod_unschedulable"
    kinds = (POD_UNSCHEDULABLE,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for pod in data.pods:
            status = pod.get("status") or {}
            if status.get("phase") != "Pending":
                continue
            namespace = namespace_of(pod)
            condition = next((c for c in status.get("conditions") or [] if c.get("type") == "PodScheduled"), {})
            failed_events = [e for e in events_for(data, namespace, "Pod", name_of(pod))
                             if e.get("reason") == "FailedScheduling"]
            if condition.get("status") != "False" and not failed_events:
                continue
            message = condition.get("message") or (failed_events[-1].get("message") if failed_events else "")
            onset = earliest([parse_time(condition.get("lastTransitionTime"))]
                             + [event_first_time(e) for e in failed_events])
            groups[(namespace, workload_of(data, pod))].append(
                {"pod": name_of(pod), "message": clip(message), "onset": onset,
                 "reason": condition.get("reason") or "FailedScheduling"})
        findings = []
        for (namespace, workload), pods in sorted(groups.items()):
            message = pods[0]["message"]
            reasons = scheduler_reasons(message)
            findings.append(placed_finding(context, 
                kind="pod_unschedulable", subject=workload, severity="critical", score=0.8,
                summary=f"{workload}: {len(pods)} pod(s) Pending, unschedulable: {message or 'no reason given'}",
                onset=earliest([p["onset"] for p in pods]), query=data.query("pods", "events"), persists=True,
                evidence={"namespace": namespace, "pods": [p["pod"] for p in pods], "scheduler_message": message,
                          "scheduler_reasons": reasons},
            ))
        return findings
