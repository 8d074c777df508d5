"""Nodes NotReady, under memory, disk or PID pressure, or reporting a problem of their own (a condition of
node-problem-detector's or another agent's: NTPProblem, KernelDeadlock, ReadonlyFilesystem...): node_not_ready,
node_pressure, node_problem."""

from __future__ import annotations

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    event_count,
    event_first_time,
    event_time,
    name_of,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import (
    clip,
    parse_time,
    placed_finding,
    placement,
)
from sreo_events.models import Finding

PRESSURES = ("MemoryPressure", "DiskPressure", "PIDPressure")
# every other condition is a problem when True (node-problem-detector's convention), unless its name says it is a
# good state (`NetworkingReady`, `...Available`)
KUBELET_CONDITIONS = frozenset({"Ready", "NetworkUnavailable", *PRESSURES})
GOOD_WHEN_TRUE = ("Ready", "Available", "Healthy", "Up")


NODE_NOT_READY = FindingKind(
    name="node_not_ready", domain="kubernetes",
    actions=(
        action("drain-node", "Cordon and drain {node}", "kubectl drain {node} --ignore-daemonsets --delete-emptydir-data",
               "high", True),
        action("describe-node", "Read {node}'s conditions and kubelet events", "kubectl describe node {node}", "low"),
    ),
    runbook_alerts=("KubeNodeNotReady",),
)
NODE_PRESSURE = FindingKind(
    name="node_pressure", domain="kubernetes",
    actions=(
        action("relieve-pressure", "Relieve pressure on {node} (evict, clean up, add capacity)",
               "kubectl describe node {node}", "medium"),
    ),
)

NODE_PROBLEM = FindingKind(
    name="node_problem", domain="kubernetes",
    actions=(
        action("describe-node", "Read {node}'s conditions and the agent that set them", "kubectl describe node {node}",
               "low"),
        action("drain-node", "Cordon and drain {node} until it is fixed",
               "kubectl drain {node} --ignore-daemonsets --delete-emptydir-data", "high", True),
    ),
)


def _problems(data: ClusterState, context: AnalysisContext, name: str, conditions: dict[str, dict],
              workloads: list[str]) -> list[Finding]:
    return [placed_finding(context,
        kind="node_problem", subject=f"node/{name}", severity="warning", score=0.65,
        summary=f"node/{name} reports {kind} ({condition.get('reason')}): {clip(condition.get('message'))}",
        onset=parse_time(condition.get("lastTransitionTime")), query=data.query("nodes"),
        evidence={"node": name, "condition": kind, "reason": condition.get("reason"),
                  "message": clip(condition.get("message")), "workloads_on_node": workloads},
    ) for kind, condition in sorted(conditions.items())
        if kind not in KUBELET_CONDITIONS and not kind.endswith(GOOD_WHEN_TRUE) and condition.get("status") == "True"]


# events on a Node that speak of a container, not of the node (node-problem-detector's kernel OOM kills), and
# the kubelet's own life cycle, which the conditions already say
NOT_THE_NODES = frozenset({"OOMKilling", "NodeNotReady", "NodeNotSchedulable", "Rebooted", "Starting"})


def _node_warnings(data: ClusterState, context: AnalysisContext) -> dict[str, dict[str, list[dict]]]:
    """Node name -> reason -> the Warning events on it in the window that speak of the node."""
    found: dict[str, dict[str, list[dict]]] = {}
    for event in data.events:
        involved = event.get("involvedObject") or event.get("regarding") or {}
        reason = event.get("reason") or ""
        if (involved.get("kind") == "Node" and event.get("type") == "Warning" and reason not in NOT_THE_NODES
                and placement(context, event_time(event)) == "window"):
            found.setdefault(involved.get("name", ""), {}).setdefault(reason, []).append(event)
    return found


def _reported(data: ClusterState, context: AnalysisContext, name: str, conditions: dict[str, dict],
              workloads: list[str], warnings: dict[str, list[dict]]) -> list[Finding]:
    """Warning events on the node in the window (node-problem-detector's ConntrackFull, KernelOops, TaskHung;
    the kubelet's FreeDiskSpaceFailed), one finding per reason its conditions do not already state."""
    grouped = {reason: events for reason, events in warnings.items() if reason not in conditions}
    return [placed_finding(context,
        kind="node_problem", subject=f"node/{name}", severity="warning", score=0.6,
        summary=f"node/{name} reports {reason} ({sum(event_count(e) for e in events)} times): "
                f"{clip(events[-1].get('message'))}",
        onset=min(filter(None, (event_first_time(e) for e in events)), default=None), query=data.query("events"),
        evidence={"node": name, "condition": reason, "reason": reason, "message": clip(events[-1].get("message")),
                  "count": sum(event_count(e) for e in events), "workloads_on_node": workloads},
    ) for reason, events in sorted(grouped.items())]


def _not_ready(data: ClusterState, context: AnalysisContext, name: str, conditions: dict[str, dict],
               workloads: list[str]) -> list[Finding]:
    ready = conditions.get("Ready", {})
    network = conditions.get("NetworkUnavailable", {})
    if not (ready and ready.get("status") != "True" or network.get("status") == "True"):
        return []
    condition = ready if ready.get("status") != "True" else network
    return [placed_finding(context,
        kind="node_not_ready", subject=f"node/{name}", severity="critical", score=0.9,
        summary=f"node/{name} is NotReady ({condition.get('reason')}): {clip(condition.get('message'))}",
        onset=parse_time(condition.get("lastTransitionTime")), query=data.query("nodes"),
        evidence={"node": name, "condition": condition.get("type"), "reason": condition.get("reason"),
                  "message": clip(condition.get("message")), "workloads_on_node": workloads},
    )]


def _at_pod_capacity(data: ClusterState, context: AnalysisContext, node: dict, name: str,
                     workloads: list[str]) -> list[Finding]:
    allocatable = str(((node.get("status") or {}).get("allocatable") or {}).get("pods") or "")
    running = [pod for pod in data.pods if (pod.get("spec") or {}).get("nodeName") == name
               and (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
    if not (allocatable.isdigit() and len(running) >= int(allocatable) > 0):
        return []
    return [placed_finding(context,
        kind="node_pressure", subject=f"node/{name}", severity="warning", score=0.6,
        summary=f"node/{name} runs {len(running)} pods, its allocatable maximum ({allocatable})",
        onset=None, query=data.query("nodes", "pods"), persists=True,
        evidence={"node": name, "condition": "PodCapacity", "allocatable_pods": int(allocatable),
                  "pods_on_node": len(running), "workloads_on_node": workloads},
    )]


def _under_pressure(data: ClusterState, context: AnalysisContext, name: str, conditions: dict[str, dict],
                    workloads: list[str]) -> list[Finding]:
    findings = []
    for pressure in PRESSURES:
        condition = conditions.get(pressure, {})
        if condition.get("status") != "True":
            continue
        findings.append(placed_finding(context,
            kind="node_pressure", subject=f"node/{name}", severity="warning", score=0.65,
            summary=f"node/{name} reports {pressure}: {clip(condition.get('message'))}",
            onset=parse_time(condition.get("lastTransitionTime")), query=data.query("nodes"),
            evidence={"node": name, "condition": pressure, "reason": condition.get("reason"),
                      "message": clip(condition.get("message")), "workloads_on_node": workloads},
        ))
    return findings


class NodeHealthAnalyzer:
    kind = "node_not_ready"
    kinds = (NODE_NOT_READY, NODE_PRESSURE, NODE_PROBLEM)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        warnings = _node_warnings(data, context)
        for node in data.nodes:
            name = name_of(node)
            conditions = {c.get("type"): c for c in (node.get("status") or {}).get("conditions") or []}
            workloads = sorted({workload_of(data, pod) for pod in data.pods
                                if (pod.get("spec") or {}).get("nodeName") == name})
            findings += _not_ready(data, context, name, conditions, workloads)
            findings += _at_pod_capacity(data, context, node, name, workloads)
            findings += _under_pressure(data, context, name, conditions, workloads)
            findings += _problems(data, context, name, conditions, workloads)
            findings += _reported(data, context, name, conditions, workloads, warnings.get(name, {}))
        return findings
