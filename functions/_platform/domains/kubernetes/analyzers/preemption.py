"""pod_preemption: the scheduler made room for a pod of higher priority by evicting running pods ("Preempted by
pod 0511e6de-... on node ip-10-31-16-201"; before 1.26 "Preempted by shop/batch-x on node ..."). When the cluster
has no spare room, the victims are recreated and stay Pending, so the workloads they served run short. They
show the symptom; the finding is on the preemptor's workload (often a batch job given a PriorityClass meant
for node agents), with the victims as `blocked_callers`, and the fix is its priority or its requests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    by_key,
    earliest,
    event_first_time,
    meta,
    name_of,
    namespace_of,
    pod_by_name,
    pods_of,
    replicaset_owner,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import placed_finding
from sreo_events.models import Finding

_PREEMPTED = re.compile(r"Preempted by (?:pod )?(?:(?P<uid>[0-9a-f]{8}-[0-9a-f-]{27})|(?P<namespace>[a-z0-9-]+)/"
                        r"(?P<name>[a-z0-9.-]+))(?: on node (?P<node>\S+))?")


@dataclass(frozen=True)
class Preemption:
    preemptor: str  # the preempting pod's uid, or `<namespace>/<name>`
    victim_namespace: str
    victim_pod: str
    node: str | None
    at: datetime | None


def preemptions(data: ClusterState) -> list[Preemption]:
    """Every `Preempted` event, read."""
    found = []
    for event in data.events:
        match = _PREEMPTED.search(str(event.get("message") or "")) if event.get("reason") == "Preempted" else None
        if match:
            involved = event.get("involvedObject") or event.get("regarding") or {}
            found.append(Preemption(
                preemptor=match["uid"] or f"{match['namespace']}/{match['name']}",
                victim_namespace=involved.get("namespace") or namespace_of(event), victim_pod=involved.get("name", ""),
                node=match["node"], at=event_first_time(event)))
    return found


def pod_reference(pod: dict[str, Any]) -> set[str]:
    """The ways a Preempted event names the pod: its uid and `<namespace>/<name>`."""
    return {ref for ref in (meta(pod).get("uid"), f"{namespace_of(pod)}/{name_of(pod)}") if ref}


def _victim_workload(data: ClusterState, namespace: str, pod_name: str) -> str:
    """A victim's workload; the pod itself is usually gone, its ReplicaSet (its name less the last part) is not."""
    pod = pod_by_name(data, namespace, pod_name)
    if pod is not None:
        return workload_of(data, pod)
    replicaset = pod_name.rsplit("-", 1)[0]
    if (namespace, replicaset) in by_key(data, "replicasets"):
        return replicaset_owner(data, namespace, replicaset, replicaset.rsplit("-", 1)[-1])
    return replicaset.rsplit("-", 1)[0]


def _pending(data: ClusterState, namespace: str, workload: str) -> int:
    return sum(1 for pod in pods_of(data, workload, namespace) if (pod.get("status") or {}).get("phase") == "Pending")


@dataclass
class _Preemptor:
    pod: dict[str, Any]
    victims: dict[tuple[str, str], int] = field(default_factory=dict)  # (namespace, workload) -> pods preempted
    nodes: set[str] = field(default_factory=set)
    moments: list[datetime | None] = field(default_factory=list)


POD_PREEMPTION = FindingKind(
    name="pod_preemption", domain="kubernetes",
    actions=(
        action("lower-priority", "Give {subject} a PriorityClass below the workloads it preempted ({victims_text}): "
               "it runs as {priority_class} (priority {priority})",
               "kubectl get priorityclass {priority_class} -o yaml", "medium", True),
        action("stop-preemptor", "Stop {subject}'s running pods so the preempted workloads get their room back",
               "kubectl get pods -n {namespace} -o wide", "medium", True),
    ),
    mitigation=("Stop the preempting workload or lower its priority; the Pending victims are then scheduled.",
                "The preempted workloads run short of pods for as long as the preemptor holds their room."),
)


class PreemptionAnalyzer:
    kind = "pod_preemption"
    kinds = (POD_PREEMPTION,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        pods = {ref: pod for pod in data.pods for ref in pod_reference(pod)}
        by_preemptor: dict[tuple[str, str], _Preemptor] = {}
        for preemption in preemptions(data):
            pod = pods.get(preemption.preemptor)
            if pod is None:
                continue  # its namespace was not listed
            entry = by_preemptor.setdefault((namespace_of(pod), workload_of(data, pod)), _Preemptor(pod))
            victim = (preemption.victim_namespace, _victim_workload(data, preemption.victim_namespace,
                                                                    preemption.victim_pod))
            entry.victims[victim] = entry.victims.get(victim, 0) + 1
            entry.nodes |= {preemption.node} if preemption.node else set()
            entry.moments.append(preemption.at)
        return [self._finding(data, context, key, entry) for key, entry in sorted(by_preemptor.items())]

    def _finding(self, data: ClusterState, context: AnalysisContext, key: tuple[str, str],
                 entry: _Preemptor) -> Finding:
        namespace, workload = key
        spec = entry.pod.get("spec") or {}
        pending = {victim: _pending(data, *victim) for victim in entry.victims}
        short = sorted(victim for victim, count in pending.items() if count)
        victims = sorted(f"{w} ({ns}, {n} pod(s))" for (ns, w), n in entry.victims.items())
        priority_class, priority = spec.get("priorityClassName") or "(default)", spec.get("priority", 0)
        return placed_finding(
            context, kind=self.kind, subject=workload, severity="critical" if short else "warning",
            score=min(0.95, 0.8 + 0.05 * len(short)) if short else 0.5,
            summary=f"{workload} ({priority_class}, priority {priority}) preempted {sum(entry.victims.values())} "
                    f"pod(s) of {', '.join(victims)} on {len(entry.nodes)} node(s)"
                    + (f"; {sum(pending.values())} replacement(s) still Pending" if short else ""),
            onset=earliest(entry.moments), persists=bool(short), query=data.query("events", "pods"),
            evidence={"namespace": namespace, "priority_class": priority_class, "priority": priority,
                      "victims": victims, "victims_text": ", ".join(w for _, w in sorted(entry.victims)),
                      "nodes": sorted(entry.nodes), "still_pending": sum(pending.values()),
                      "blocked_callers": sorted({w for _, w in entry.victims} - {workload})})
