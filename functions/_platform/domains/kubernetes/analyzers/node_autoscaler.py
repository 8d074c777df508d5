"""node_autoscaler_down: pods wait for room ("0/6 nodes are available: 4 Insufficient cpu") and the node autoscaler
that would add it (cluster-autoscaler, Karpenter) is not running: its own pod is Pending, crash-looping or unready,
so no scale-up is ever tried (no TriggeredScaleUp or NotTriggerScaleUp event). The waiting workloads show the
symptom; the finding is on the autoscaler, with them as `blocked_callers`."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    earliest,
    event_first_time,
    is_ready,
    name_of,
    namespace_of,
    pod_by_name,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import placed_finding
from sreo_events.models import Finding

AUTOSCALER = re.compile(r"cluster-autoscaler|karpenter", re.IGNORECASE)
_NO_ROOM = re.compile(r"Insufficient (?:cpu|memory|pods|ephemeral-storage|[\w.]+/gpu)|Too many pods", re.IGNORECASE)
_TRIED = frozenset({"TriggeredScaleUp", "NotTriggerScaleUp"})  # the autoscaler's own word on a Pending pod


def waiting_for_room(data: ClusterState) -> dict[tuple[str, str], datetime | None]:
    """(namespace, workload) of the Pending pods the scheduler found no room for and no autoscaler answered ->
    when they first waited."""
    events = [e for e in data.events if (e.get("involvedObject") or {}).get("kind", "Pod") == "Pod"]
    tried = {((e.get("involvedObject") or {}).get("namespace"), (e.get("involvedObject") or {}).get("name"))
             for e in events if e.get("reason") in _TRIED}
    found: dict[tuple[str, str], list[datetime | None]] = {}
    for event in events:
        involved = event.get("involvedObject") or {}
        key = (involved.get("namespace") or namespace_of(event), involved.get("name", ""))
        if event.get("reason") != "FailedScheduling" or not _NO_ROOM.search(event.get("message") or "") or key in tried:
            continue
        pod = pod_by_name(data, *key)
        if pod is not None and (pod.get("status") or {}).get("phase") == "Pending":
            found.setdefault((key[0], workload_of(data, pod)), []).append(event_first_time(event))
    return {key: earliest(moments) for key, moments in found.items()}


def autoscalers_down(pods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [pod for pod in pods if AUTOSCALER.search(name_of(pod)) and not is_ready(pod)]


NODE_AUTOSCALER_DOWN = FindingKind(
    name="node_autoscaler_down", domain="kubernetes",
    actions=(
        action("fix-autoscaler", "Get {subject} running again ({agent_pod} is {agent_state}): pods waiting for room "
               "({victims_text}) get no new nodes until it runs", "kubectl describe pod -n {namespace} {agent_pod}",
               "low"),
        action("add-capacity", "Add nodes to the node group by hand until {subject} runs", None, "medium", True),
    ),
    mitigation=(("Fix the autoscaler's own scheduling or crash (its nodeSelector, tolerations, image, credentials); "
                 "add nodes by hand meanwhile."),
                "Pods that need new nodes stay Pending; the workloads they belong to run short."),
)


class NodeAutoscalerAnalyzer:
    kind = "node_autoscaler_down"
    kinds = (NODE_AUTOSCALER_DOWN,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        waiting = waiting_for_room(data)
        down = autoscalers_down(data.pods)
        if not waiting or not down:
            return []
        agent = down[0]
        workload = workload_of(data, agent)
        blocked = sorted({w for _, w in waiting} - {workload})
        state = (agent.get("status") or {}).get("phase") or "unknown"
        return [placed_finding(
            context, kind=self.kind, subject=workload, severity="critical", score=min(0.95, 0.8 + 0.05 * len(blocked)),
            summary=f"{workload} ({namespace_of(agent)}) is not running ({name_of(agent)}: {state}, not ready) while "
                    f"{', '.join(blocked)} wait(s) for room no autoscaler tried to add",
            onset=earliest(list(waiting.values())), persists=True, query=data.query("pods", "events"),
            evidence={"namespace": namespace_of(agent), "agent_pod": name_of(agent), "agent_state": state,
                      "victims_text": ", ".join(blocked), "blocked_callers": blocked,
                      "waiting": sorted(f"{ns}/{w}" for ns, w in waiting)})]
