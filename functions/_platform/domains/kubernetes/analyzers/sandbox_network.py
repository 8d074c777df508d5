"""pod_sandbox_network: the kubelet cannot set up the network of new pods' sandboxes ("Failed to create pod
sandbox: ... failed to setup network for sandbox ...: plugin type="aws-cni" name="aws-cni" failed (add): ... dial
tcp 127.0.0.1:50051: connect: connection refused"). The CNI plugin is served on each node by a node agent, a
DaemonSet pod on that node (aws-node, calico-node, cilium, kube-flannel): while it is down, every pod scheduled
there stays ContainerCreating and the pods already running keep their addresses. The stuck pods show the symptom;
the finding is on the agent's DaemonSet, with their workloads as `blocked_callers` (they wait on it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    daemonset_of,
    earliest,
    event_count,
    event_first_time,
    name_of,
    namespace_of,
    pod_by_name,
    troubled,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import clip, placed_finding
from sreo_events.models import Finding

_SANDBOX_NETWORK = re.compile(r"failed to (?:setup|set up) (?:the )?(?:pod )?network|networkPlugin \w+ failed|"
                              r"plugin type=\"[^\"]+\"[^:]*failed|failed to set up sandbox container .*network",
                              re.IGNORECASE)
_PLUGIN = re.compile(r"plugin type=\"(?P<type>[^\"]+)\"|networkPlugin (?P<legacy>\w+) failed", re.IGNORECASE)
_GENERIC_WORDS = frozenset({"cni", "plugin", "net", "k8s", "ipam", "node", "agent"})


@dataclass
class _Stuck:
    """Sandboxes that could not get a network, on one node."""
    pods: dict[tuple[str, str], int] = field(default_factory=dict)  # (namespace, pod) -> failures
    plugins: set[str] = field(default_factory=set)
    moments: list[datetime | None] = field(default_factory=list)
    message: str = ""


def _plugin_words(plugin: str) -> set[str]:
    """`aws-cni` -> {aws}, `cilium-cni` -> {cilium}, `weave-net` -> {weave}: what the agent's name would share."""
    return {word for word in re.split(r"[-_.]", plugin.lower()) if word and word not in _GENERIC_WORDS}


def stuck_sandboxes(data: ClusterState) -> dict[str, _Stuck]:
    """node -> the pods there whose sandboxes failed to get a network (the kubelet's FailedCreatePodSandBox)."""
    by_node: dict[str, _Stuck] = {}
    for event in data.events:
        involved = event.get("involvedObject") or event.get("regarding") or {}
        message = event.get("message") or event.get("note") or ""
        if event.get("reason") != "FailedCreatePodSandBox" or not _SANDBOX_NETWORK.search(message):
            continue
        namespace = involved.get("namespace") or namespace_of(event)
        pod = pod_by_name(data, namespace, involved.get("name", ""))
        node = ((pod or {}).get("spec") or {}).get("nodeName") or ((event.get("source") or {}).get("host"))
        if not node:
            continue
        stuck = by_node.setdefault(node, _Stuck())
        key = (namespace, involved.get("name", ""))
        stuck.pods[key] = stuck.pods.get(key, 0) + event_count(event)
        stuck.plugins |= {m["type"] or m["legacy"] for m in _PLUGIN.finditer(message)}
        stuck.moments.append(event_first_time(event))
        stuck.message = stuck.message or message
    return by_node


def _daemon_pods(pods: list[dict[str, Any]], node: str) -> list[dict[str, Any]]:
    return [pod for pod in pods if (pod.get("spec") or {}).get("nodeName") == node and daemonset_of(pod)]


def node_agent(pods: list[dict[str, Any]], node: str, plugins: set[str]) -> tuple[dict[str, Any], bool] | None:
    """The DaemonSet pod on `node` that serves the CNI plugin, and whether it is troubled: a troubled one named
    like the plugin, else the only troubled host-network one (a CNI agent must be), else a healthy one named
    like the plugin."""
    words = {word for plugin in plugins for word in _plugin_words(plugin)}
    on_node = _daemon_pods(pods, node)

    def named(pod: dict[str, Any]) -> bool:
        return bool(words & set(re.split(r"[-_.]", name_of(pod).lower())))

    down = [pod for pod in on_node if troubled(pod)]
    host = [pod for pod in down if (pod.get("spec") or {}).get("hostNetwork")]
    chosen = [pod for pod in down if named(pod)] or (host if len(host) == 1 else [])
    if chosen:
        return chosen[0], True
    healthy = [pod for pod in on_node if named(pod)]
    return (healthy[0], False) if healthy else None


POD_SANDBOX_NETWORK = FindingKind(
    name="pod_sandbox_network", domain="kubernetes",
    actions=(
        action("fix-node-agent", "Fix {subject}'s pod {agent_pod} on {nodes_text}: it serves the CNI plugin "
               "({plugin}) that new pods there cannot get a network from",
               "kubectl logs -n {namespace} {agent_pod} --all-containers --previous", "low"),
        action("cordon-node", "Cordon {nodes_text} so new pods are placed on nodes whose CNI agent works",
               "kubectl cordon {nodes_text}", "medium", True),
    ),
    mitigation=(("Fix or roll back the node's CNI agent (its credentials, its version, its config); until then, "
                 "cordon the node so new pods land elsewhere."),
                "Every pod scheduled on the node stays ContainerCreating; running pods keep their addresses."),
    runbook_alerts=("KubePodSandboxNetworkFailure",),
)


class SandboxNetworkAnalyzer:
    kind = "pod_sandbox_network"
    kinds = (POD_SANDBOX_NETWORK,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        by_agent: dict[tuple[str, str], list[tuple[str, _Stuck, dict[str, Any], bool]]] = {}
        for node, stuck in sorted(stuck_sandboxes(data).items()):
            found = node_agent(data.pods, node, stuck.plugins)
            if found is not None:
                agent, down = found
                by_agent.setdefault((namespace_of(agent), workload_of(data, agent)), []).append(
                    (node, stuck, agent, down))
        return [self._finding(data, context, key, nodes) for key, nodes in sorted(by_agent.items())]

    def _finding(self, data: ClusterState, context: AnalysisContext, key: tuple[str, str],
                 nodes: list[tuple[str, _Stuck, dict[str, Any], bool]]) -> Finding:
        namespace, workload = key
        down = any(is_down for *_, is_down in nodes)
        stuck_pods = sorted(f"{ns}/{pod}" for _, stuck, _, _ in nodes for ns, pod in stuck.pods)
        blocked = sorted({workload_of(data, p) for _, stuck, _, _ in nodes for ns, name in stuck.pods
                          if (p := pod_by_name(data, ns, name)) is not None} - {workload})
        plugins = sorted({plugin for _, stuck, _, _ in nodes for plugin in stuck.plugins}) or ["(not named)"]
        node_names = [node for node, *_ in nodes]
        state = "is not ready" if down else "runs, yet the plugin fails"
        return placed_finding(
            context, kind=self.kind, subject=workload, severity="critical" if down else "warning",
            score=min(0.95, 0.8 + 0.05 * len(blocked)) if down else 0.5,
            summary=f"{workload} ({namespace}) {state} on {', '.join(node_names)}: {len(stuck_pods)} pod(s) there "
                    f"cannot get a network from CNI plugin {', '.join(plugins)}"
                    + (f" ({', '.join(blocked)})" if blocked else ""),
            onset=earliest([m for _, stuck, _, _ in nodes for m in stuck.moments]), persists=True,
            query=data.query("events", "pods"),
            evidence={"namespace": namespace, "plugin": ", ".join(plugins), "nodes": node_names,
                      "nodes_text": " ".join(node_names), "agent_pod": name_of(nodes[0][2]),
                      "agent_down": down, "stuck_pods": stuck_pods, "blocked_callers": blocked,
                      "sandbox_failures": sum(n for _, stuck, _, _ in nodes for n in stuck.pods.values()),
                      "message": clip(nodes[0][1].message, 300)})
