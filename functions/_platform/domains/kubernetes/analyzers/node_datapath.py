"""node_datapath_down: the agent that programs a node's network datapath (kube-proxy's Service rules, the CNI
agent's routes and policies) is crash-looping or unready on a node where pods of the focus run. Those pods keep
running, but their traffic goes through rules nobody maintains any more: Service addresses that moved are
black-holed, new endpoints are never reached, and only the callers on that node fail. The finding is on the
agent's DaemonSet, with the focus workloads that have pods on the node as `blocked_callers`."""

from __future__ import annotations

import re
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    container_statuses,
    daemonset_of,
    is_ready,
    name_of,
    namespace_of,
    troubled,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import placed_finding
from sreo_events.models import Finding

# the node agents of the usual Service proxies and CNI plugins, by their DaemonSet's name
DATAPATH_AGENTS = re.compile(r"^(?:kube-proxy|cilium|calico-node|aws-node|kube-router|antrea-agent|weave-net|"
                             r"kube-flannel(?:-ds)?|canal|azure-cns|ovnkube-node|kindnet)$")


def datapath_down(pods: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """node -> the troubled datapath agent pods on it."""
    found: dict[str, list[dict[str, Any]]] = {}
    for pod in pods:
        node = (pod.get("spec") or {}).get("nodeName")
        if node and DATAPATH_AGENTS.match(daemonset_of(pod) or "") and troubled(pod):
            found.setdefault(node, []).append(pod)
    return found


def focus_nodes(data: ClusterState, focus: frozenset[str]) -> dict[str, set[str]]:
    """node -> the focus workloads with a running pod on it."""
    found: dict[str, set[str]] = {}
    for pod in data.pods:
        node = (pod.get("spec") or {}).get("nodeName")
        if node and (pod.get("status") or {}).get("phase") == "Running" and (workload := workload_of(data, pod)) in focus:
            found.setdefault(node, set()).add(workload)
    return found


NODE_DATAPATH_DOWN = FindingKind(
    name="node_datapath_down", domain="kubernetes",
    actions=(
        action("fix-datapath-agent", "Fix {subject}'s pod {agent_pod} on {nodes_text}: while it is down, the node's "
               "Service and network rules are not kept up to date",
               "kubectl logs -n {namespace} {agent_pod} --previous", "low"),
        action("drain-node", "Cordon and drain {nodes_text} so the pods there move to nodes whose network works",
               "kubectl drain {nodes_text} --ignore-daemonsets --delete-emptydir-data", "medium", True),
    ),
    mitigation=("Fix or roll back the node agent (its config, its version); until then, cordon and drain the node.",
                "Pods on the node keep failing to reach Services whose endpoints changed."),
)


class NodeDatapathAnalyzer:
    kind = "node_datapath_down"
    kinds = (NODE_DATAPATH_DOWN,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        hosting = focus_nodes(data, context.focus)
        by_agent: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
        for node, agents in sorted(datapath_down(data.pods).items()):
            if hosting.get(node):
                for agent in agents:
                    by_agent.setdefault((namespace_of(agent), daemonset_of(agent) or name_of(agent)), []).append((node, agent))
        return [self._finding(data, context, key, found, hosting) for key, found in sorted(by_agent.items())]

    def _finding(self, data: ClusterState, context: AnalysisContext, key: tuple[str, str],
                 found: list[tuple[str, dict[str, Any]]], hosting: dict[str, set[str]]) -> Finding:
        namespace, daemonset = key
        nodes = [node for node, _ in found]
        blocked = sorted({w for node in nodes for w in hosting[node]} - {daemonset})
        down = any(not is_ready(agent) for _, agent in found)
        restarts = sum(status.get("restartCount", 0) for _, agent in found for status in container_statuses(agent))
        return placed_finding(
            context, kind=self.kind, subject=daemonset, severity="critical" if down else "warning",
            score=min(0.95, 0.8 + 0.05 * len(blocked)) if down else 0.5,
            summary=f"{daemonset} ({namespace}) is {'not ready' if down else 'restarting'} on {', '.join(nodes)} "
                    f"({restarts} restart(s)), where {', '.join(blocked)} run(s)",
            onset=None, persists=down, query=data.query("pods"),
            evidence={"namespace": namespace, "agent_pod": name_of(found[0][1]), "nodes": nodes,
                      "nodes_text": " ".join(nodes), "restarts": restarts, "blocked_callers": blocked})
