"""pdb_blocks_drain: a node was cordoned to be drained (an upgrade, a cluster-autoscaler scale-down, `kubectl
drain`) and still holds pods that a PodDisruptionBudget allowing no disruption protects, so the drain cannot
finish. The node stays cordoned and its capacity is held back: pods that need it stay Pending ("1 node(s) were
unschedulable, 3 Insufficient cpu"). They only show the symptom; the finding is on the workload the budget
protects, with them as `blocked_callers` (they wait on it), and the fix is the budget (a `minAvailable` equal to
the replicas never allows an eviction)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    earliest,
    event_count,
    event_first_time,
    events_for,
    meta,
    name_of,
    namespace_of,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import clip, parse_time, placed_finding
from functions._platform.domains.kubernetes.source.selectors import matches_label_selector
from sreo_events.models import Finding

CORDON_TAINT = "node.kubernetes.io/unschedulable"
# the scheduler's word for a cordoned node: "1 node(s) were unschedulable", or its taint named
_WAITS_FOR_CORDONED = re.compile(r"node\(s\) were unschedulable|node\.kubernetes\.io/unschedulable")
# kubectl drain, the cluster-autoscaler, Karpenter and upgrade controllers, refused by a budget
_REFUSED = re.compile(r"disruption budget|PodDisruptionBudget|\bpdb\b", re.IGNORECASE)


def cordoned_nodes(data: ClusterState) -> dict[str, datetime | None]:
    """Nodes marked unschedulable, with when the cordon's taint was added (None when not recorded)."""
    found = {}
    for node in data.nodes:
        spec = node.get("spec") or {}
        if spec.get("unschedulable"):
            taint = next((t for t in spec.get("taints") or [] if t.get("key") == CORDON_TAINT), {})
            found[name_of(node)] = parse_time(taint.get("timeAdded"))
    return found


def _scheduler_messages(data: ClusterState, pod: dict[str, Any]) -> list[tuple[str, datetime | None]]:
    status = pod.get("status") or {}
    condition = next((c for c in status.get("conditions") or [] if c.get("type") == "PodScheduled"), {})
    found = [(str(condition.get("message") or ""), parse_time(condition.get("lastTransitionTime")))]
    return found + [(str(e.get("message") or ""), event_first_time(e))
                    for e in events_for(data, namespace_of(pod), "Pod", name_of(pod))
                    if e.get("reason") == "FailedScheduling"]


def waiting_for_cordoned(data: ClusterState) -> dict[tuple[str, str], datetime | None]:
    """(namespace, workload) of Pending pods the scheduler could have placed but for a cordoned node, with when
    they began to wait."""
    found: dict[tuple[str, str], list[datetime | None]] = {}
    for pod in data.pods:
        if (pod.get("status") or {}).get("phase") != "Pending":
            continue
        waits = [moment for message, moment in _scheduler_messages(data, pod) if _WAITS_FOR_CORDONED.search(message)]
        if waits:
            found.setdefault((namespace_of(pod), workload_of(data, pod)), []).extend(waits)
    return {key: earliest(moments) for key, moments in found.items()}


@dataclass(frozen=True)
class HeldDrain:
    budget: dict[str, Any]
    held: tuple[str, ...]  # the budget's pods still on cordoned nodes
    nodes: tuple[str, ...]
    subject: str  # the workload the budget protects
    refusals: int  # eviction refusals counted in events and logs read
    refused_by: tuple[str, ...]  # workloads whose logs report the refusals (the drainer)


def _selected_pods(data: ClusterState, budget: dict[str, Any]) -> list[dict[str, Any]]:
    selector = (budget.get("spec") or {}).get("selector")
    return [pod for pod in data.pods if namespace_of(pod) == namespace_of(budget)
            and matches_label_selector(selector, meta(pod).get("labels"))
            and (pod.get("status") or {}).get("phase") in ("Running", "Pending")]


def _refusals(data: ClusterState, pods: list[str], budget: str) -> tuple[int, set[str]]:
    names = [re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])") for name in [*pods, budget]]
    count, drainers = 0, set()
    for (namespace, pod, _, _), text in data.logs.items():
        lines = [line for line in text.splitlines()
                 if _REFUSED.search(line) and any(name.search(line) for name in names)]
        if lines:
            count += len(lines)
            owner = next((p for p in data.pods if namespace_of(p) == namespace and name_of(p) == pod), None)
            drainers.add(workload_of(data, owner) if owner else pod)
    for event in data.events:
        involved = (event.get("involvedObject") or event.get("regarding") or {}).get("name", "")
        if involved in (*pods, budget) and _REFUSED.search(str(event.get("message") or "")):
            count += event_count(event)
    return count, drainers


def held_drains(data: ClusterState) -> list[HeldDrain]:
    """Budgets that allow no disruption now and hold pods on cordoned nodes."""
    cordoned = cordoned_nodes(data)
    found = []
    for budget in data.poddisruptionbudgets:
        if not cordoned or (budget.get("status") or {}).get("disruptionsAllowed", 1) != 0:
            continue
        pods = _selected_pods(data, budget)
        held = [pod for pod in pods if (pod.get("spec") or {}).get("nodeName") in cordoned]
        if not held:
            continue
        refusals, drainers = _refusals(data, [name_of(p) for p in held], name_of(budget))
        found.append(HeldDrain(
            budget=budget, held=tuple(sorted(name_of(p) for p in held)),
            nodes=tuple(sorted({p["spec"]["nodeName"] for p in held})), subject=workload_of(data, held[0]),
            refusals=refusals, refused_by=tuple(sorted(drainers))))
    return found


def budget_text(budget: dict[str, Any]) -> str:
    """What the budget asks and why it allows nothing: `minAvailable 3 of 3 pods`."""
    spec, status = budget.get("spec") or {}, budget.get("status") or {}
    expected, healthy = status.get("expectedPods"), status.get("currentHealthy")
    rule = (f"minAvailable {spec['minAvailable']}" if "minAvailable" in spec
            else f"maxUnavailable {spec.get('maxUnavailable')}")
    text = f"{rule} of {expected} pod(s)"
    if isinstance(healthy, int) and isinstance(expected, int) and healthy < expected:
        return f"{text}, {healthy} healthy: its unhealthy pods use up the budget"
    return f"{text}: it never allows an eviction" if healthy == expected else text


PDB_BLOCKS_DRAIN = FindingKind(
    name="pdb_blocks_drain", domain="kubernetes",
    actions=(
        action("relax-budget", "Let the drain of {nodes_text} through: PodDisruptionBudget {namespace}/{pdb} "
               "({budget}) must allow one eviction (maxUnavailable 1, or a minAvailable below the replicas)",
               "kubectl get pdb -n {namespace} {pdb} -o yaml", "medium", True),
        action("watch-drain", "Check the drain resumes and the node is uncordoned after it",
               "kubectl get nodes {nodes_text}", "low"),
    ),
    mitigation=(("Relax the PodDisruptionBudget so one pod may be evicted (a quorum of three survives one member); "
                 "the drain then finishes and the node returns."),
                "The node stays cordoned, its capacity stays idle, and pods that need it stay Pending."),
    runbook_alerts=("KubePodDisruptionBudgetBlocksDrain",),
)


class DisruptionBudgetAnalyzer:
    kind = "pdb_blocks_drain"
    kinds = (PDB_BLOCKS_DRAIN,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        cordoned = cordoned_nodes(data)
        waiting = waiting_for_cordoned(data)
        findings = []
        for drain in held_drains(data):
            namespace, pdb = namespace_of(drain.budget), name_of(drain.budget)
            blocked = sorted(({w for _, w in waiting} | set(drain.refused_by)) - {drain.subject})
            text = budget_text(drain.budget)
            tried = f"; {drain.refusals} eviction(s) refused" if drain.refusals else ""
            # held since the cordon, it began to harm when pods first waited for the capacity it holds
            cordoned_at = earliest([cordoned[node] for node in drain.nodes])
            findings.append(placed_finding(
                context, kind=self.kind, subject=drain.subject, severity="critical" if waiting else "warning",
                score=min(1.0, 0.75 + 0.05 * len(blocked)) if waiting else 0.5,
                summary=f"{drain.subject}: PodDisruptionBudget {namespace}/{pdb} ({text}) holds "
                        f"{', '.join(drain.held)} on cordoned node(s) {', '.join(drain.nodes)}{tried}"
                        + (f"; {len(waiting)} workload(s) wait for the node's capacity" if waiting else ""),
                onset=earliest(list(waiting.values())) or cordoned_at, persists=True,
                query=data.query("poddisruptionbudgets", "nodes", "pods"),
                evidence={"namespace": namespace, "pdb": pdb, "budget": clip(text, 200), "held_pods": list(drain.held),
                          "nodes": list(drain.nodes), "nodes_text": " ".join(drain.nodes),
                          "cordoned_at": cordoned_at.isoformat() if cordoned_at else None,
                          "eviction_refusals": drain.refusals, "blocked_callers": blocked,
                          "waiting_for_capacity": sorted(f"{ns}/{w}" for ns, w in waiting)}))
        return findings
