"""The kubernetes agent: list the cluster state through the `kubernetes` MCP tools, run the analyzers."""

from __future__ import annotations

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.runner import run
from functions._platform.config import Settings
from functions._platform.domains.kubernetes.analyzers.admission_webhook import webhook_services
from functions._platform.domains.kubernetes.analyzers.aggregated_api import aggregated_api_services
from functions._platform.domains.kubernetes.analyzers.checks import healthy_checks
from functions._platform.domains.kubernetes.analyzers.cluster_dns import (
    depends_on_cluster_dns,
    dns_services,
    dns_workloads,
    ready_endpoint,
    resolver_addresses,
)
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.collection import (
    LOG_TAIL_LINES,
    log_requests,
)
from functions._platform.domains.kubernetes.analyzers.dependencies import (
    focus_subjects,
    namespaces_of,
    referenced_namespaces,
    workloads_behind,
)
from functions._platform.domains.kubernetes.analyzers.disruption_budget import (
    cordoned_nodes,
    held_drains,
    waiting_for_cordoned,
)
from functions._platform.domains.kubernetes.analyzers.log_peers import logged_addresses, troubled_peers
from functions._platform.domains.kubernetes.analyzers.ownership import namespace_of, workload_of
from functions._platform.domains.kubernetes.analyzers.preemption import pod_reference, preemptions
from functions._platform.domains.kubernetes.analyzers.sandbox_network import node_agent, stuck_sandboxes
from functions._platform.domains.kubernetes.source import is_configured
from functions._platform.domains.kubernetes.tools import AGENT_LISTINGS, Listing
from functions._platform.mcp.client import ToolCallError, ToolSession, describe_call
from functions.agents.contract import AgentResult
from sreo_events.models import InvestigationRequested

MAX_FINDINGS = 60  # keeps the evidence event well under its size limit; the strongest and focus come first


def _items(answer: object) -> list[dict]:
    """A listing as a list of objects, whether the server answers a list or a `List` object."""
    if isinstance(answer, dict):
        answer = answer.get("items", [])
    return [item for item in answer or [] if isinstance(item, dict)] if isinstance(answer, list) else []


async def _fetch(tools: ToolSession, data: ClusterState, tool: str, listing: Listing,
                 calls: list[dict[str, str]], extend: bool = False) -> None:
    """Fill the listing's field from one call per argument set (`extend`: add to what it holds); a failed
    optional call is left out."""
    items: list[dict] = list(getattr(data, listing.kind)) if extend else []
    made: list[str] = [data.queries[listing.kind]] if extend and data.queries.get(listing.kind) else []
    for arguments in calls:
        try:
            items += _items(await tools.call(tool, arguments))
        except ToolCallError:
            if listing.required:
                raise
            continue
        made.append(describe_call(tool, arguments))
    if made:
        data.fill(listing.kind, items)
        data.queries[listing.kind] = "; ".join(made)


async def _read_logs(tools: ToolSession, data: ClusterState, focus: frozenset[str]) -> None:
    """Read the container logs `log_requests` picks, skipping those already read."""
    for wanted in log_requests(data, focus):
        if (wanted.namespace, wanted.pod, wanted.container, wanted.previous) in data.logs:
            continue
        arguments = {"namespace": wanted.namespace, "pod": wanted.pod, "container": wanted.container,
                     "previous": wanted.previous, "tail_lines": LOG_TAIL_LINES, "timestamps": True}
        try:
            answer = await tools.call("get_logs", arguments)
        except ToolCallError:
            continue  # no log for that container (not started yet, rotated, or not recorded)
        text = answer.get("log", "") if isinstance(answer, dict) else str(answer or "")
        data.logs[(wanted.namespace, wanted.pod, wanted.container, wanted.previous)] = text
        key = f"logs/{wanted.namespace}/{wanted.pod}"
        data.queries[key] = "; ".join(filter(None, [data.queries.get(key), describe_call("get_logs", arguments)]))


async def _node_events(tools: ToolSession, data: ClusterState, namespace: str | None) -> None:
    """Events about Nodes (the kubelet's, node-problem-detector's) are posted in the default namespace: read them
    there too when the investigation is scoped to another."""
    if not namespace or namespace == "default":
        return
    try:
        answer = await tools.call("list_events", {"namespace": "default"})
    except ToolCallError:
        return
    about_nodes = [e for e in _items(answer) if (e.get("involvedObject") or e.get("regarding") or {}).get("kind") == "Node"]
    if about_nodes:
        data.fill("events", [*data.events, *about_nodes])
        data.queries["events"] = "; ".join(filter(None, [data.queries.get("events"),
                                                         describe_call("list_events", {"namespace": "default"})]))


async def _listed(tools: ToolSession, tool: str, arguments: dict[str, str]) -> list[dict]:
    try:
        return _items(await tools.call(tool, arguments))
    except ToolCallError:
        return []


class _ClusterPods:
    """Every pod in the cluster, listed on first need and once per investigation: several steps may want them."""

    def __init__(self, tools: ToolSession) -> None:
        self._tools = tools
        self._pods: list[dict] | None = None

    async def get(self) -> list[dict]:
        if self._pods is None:
            self._pods = await _listed(self._tools, "list_pods", {})
        return self._pods


async def _list_namespaces(tools: ToolSession, data: ClusterState, namespaces: list[str]) -> None:
    """List more namespaces, for everything listed per namespace (ConfigMaps, asked for apart, excepted)."""
    for tool, listing in AGENT_LISTINGS.items():
        if namespaces and not listing.cluster_scoped and not listing.per_namespace:
            await _fetch(tools, data, tool, listing, [{"namespace": ns} for ns in namespaces], extend=True)


async def _join(tools: ToolSession, data: ClusterState, focus: frozenset[str], joining: set[str]) -> frozenset[str]:
    """The focus with `joining` in it, whose troubled containers' logs are read then."""
    if not joining - focus:
        return focus
    focus = focus | joining
    await _read_logs(tools, data, focus)
    return focus


async def _cluster_dns(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                       listed: set[str] | None) -> frozenset[str]:
    """When the focus resolves names through the cluster DNS and that DNS is failing (resolver failures in the
    logs read name its address, or its Service has no ready endpoint), list the DNS Service's namespace too (as
    for Services called by cluster DNS name; ConfigMaps excepted) and read its troubled containers' logs, so the
    DNS workload's own trouble is evidence; it joins the focus, which depends on it. `listed`: the namespaces
    already listed (None: all)."""
    if listed is None or not depends_on_cluster_dns(data, focus):
        return focus
    addresses = resolver_addresses(data)
    services = dns_services(data.services, addresses) or dns_services(
        await _listed(tools, "list_services", {}), addresses)
    failing: list[dict] = []
    for service in services:
        namespace = namespace_of(service)
        if namespace in listed:
            continue
        endpoints = await _listed(tools, "list_endpoints", {"namespace": namespace}) if not addresses else []
        if addresses or ready_endpoint(endpoints, service) is False:
            failing.append(service)
    namespaces = sorted({namespace_of(service) for service in failing})
    if not namespaces:
        return focus
    await _list_namespaces(tools, data, namespaces)
    return await _join(tools, data, focus, dns_workloads(data, failing))


async def _backends(tools: ToolSession, data: ClusterState, focus: frozenset[str], listed: set[str] | None,
                    services: set[tuple[str, str]]) -> frozenset[str]:
    """When the API server could not reach a Service it calls for the focus (an admission webhook's, an
    aggregated API's: `services`, as (namespace, name)), list that Service's namespace too (ConfigMaps excepted)
    and read its troubled containers' logs: the workload serving it joins the focus, which depends on it.
    `listed`: the namespaces already listed (None: all)."""
    namespaces = sorted({namespace for namespace, _ in services} - (listed or set())) if listed is not None else []
    await _list_namespaces(tools, data, namespaces)
    serving = {w for namespace, service in services for w in workloads_behind(data, service, namespace)}
    return await _join(tools, data, focus, serving)


async def _drain_holders(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                         listed: set[str] | None, everywhere: _ClusterPods) -> frozenset[str]:
    """When pods wait for the capacity of a cordoned node, find what holds its drain: the PodDisruptionBudgets
    across the cluster that allow no eviction and protect pods still on it. Their namespaces are listed too
    (ConfigMaps excepted) and the workloads they protect join the focus. `listed`: the namespaces already listed
    (None: all)."""
    cordoned = cordoned_nodes(data)
    if listed is None or not cordoned or not waiting_for_cordoned(data):
        return focus
    budgets = [b for b in await _listed(tools, "list_pdbs", {}) if namespace_of(b) not in listed]
    pods = [p for p in await everywhere.get() if (p.get("spec") or {}).get("nodeName") in cordoned]
    probe = ClusterState(pods=pods, nodes=data.nodes, poddisruptionbudgets=budgets)
    namespaces = sorted({namespace_of(drain.budget) for drain in held_drains(probe)})
    await _list_namespaces(tools, data, namespaces)
    holders = {drain.subject for drain in held_drains(data)}
    return await _join(tools, data, focus, holders)


async def _troubled_clients(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                            listed: set[str] | None, everywhere: _ClusterPods) -> frozenset[str]:
    """When the focus's logs name addresses of pods outside the namespaces listed (the clients a broker or a
    database logs), find those pods across the cluster; the troubled ones' namespaces are listed too (ConfigMaps
    excepted) and their workloads join the focus, which they call. `listed`: the namespaces already listed
    (None: all)."""
    addresses = logged_addresses(data, focus) if listed is not None else set()
    if not addresses:
        return focus
    peers = [p for p in troubled_peers(await everywhere.get(), addresses)
             if namespace_of(p) not in listed]
    namespaces = sorted({namespace_of(pod) for pod in peers})
    await _list_namespaces(tools, data, namespaces)
    clients = {workload_of(data, pod) for pod in peers}
    return await _join(tools, data, focus, clients)


async def _preemptors(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                      listed: set[str] | None, everywhere: _ClusterPods) -> frozenset[str]:
    """When pods listed were preempted by a pod not listed (events name it by uid), find it across the cluster:
    its namespace is listed too (ConfigMaps excepted) and its workload joins the focus, which it took the room of.
    `listed`: the namespaces already listed (None: all)."""
    known = {ref for pod in data.pods for ref in pod_reference(pod)}
    wanted = {p.preemptor for p in preemptions(data)} - known if listed is not None else set()
    if not wanted:
        return focus
    found = [pod for pod in await everywhere.get() if pod_reference(pod) & wanted]
    await _list_namespaces(tools, data, sorted({namespace_of(pod) for pod in found} - (listed or set())))
    return await _join(tools, data, focus, {workload_of(data, pod) for pod in found})


async def _node_agents(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                       listed: set[str] | None, everywhere: _ClusterPods) -> frozenset[str]:
    """When pods listed cannot get a network for their sandboxes, find the CNI agent on their node (a DaemonSet
    pod, usually in kube-system): its namespace is listed too (ConfigMaps excepted) and its workload joins the
    focus, which waits on it. `listed`: the namespaces already listed (None: all)."""
    stuck = stuck_sandboxes(data) if listed is not None else {}
    if not stuck:
        return focus
    pods = await everywhere.get()
    agents = [found[0] for node, sandbox in stuck.items() if (found := node_agent(pods, node, sandbox.plugins))]
    await _list_namespaces(tools, data, sorted({namespace_of(pod) for pod in agents} - (listed or set())))
    return await _join(tools, data, focus, {workload_of(data, pod) for pod in agents})


class KubernetesAgent:
    domain = "kubernetes"
    server = "kubernetes"

    def configured(self, settings: Settings) -> bool:
        return is_configured(settings) or self.server in settings.mcp_targets

    async def investigate(self, request: InvestigationRequested, tools: ToolSession) -> AgentResult:
        data = ClusterState()
        per_namespace: dict[str, Listing] = {}
        for tool, listing in AGENT_LISTINGS.items():
            if listing.per_namespace and not request.namespace:
                per_namespace[tool] = listing
                continue
            scoped = request.namespace and not listing.cluster_scoped
            await _fetch(tools, data, tool, listing, [{"namespace": request.namespace} if scoped else {}])
        await _node_events(tools, data, request.namespace)
        focus = focus_subjects(data, request.service)
        if per_namespace:  # no namespace given: the focus's namespaces, else whatever the server watches
            arguments = [{"namespace": namespace} for namespace in namespaces_of(data, focus)] or [{}]
            for tool, listing in per_namespace.items():
                await _fetch(tools, data, tool, listing, arguments)
            focus = focus_subjects(data, request.service)
        elif request.namespace:  # Services the focus calls in other namespaces, by their cluster DNS names
            others = sorted(referenced_namespaces(data, focus) - {request.namespace})
            if others:
                await _list_namespaces(tools, data, others)
                focus = focus_subjects(data, request.service)
        await _read_logs(tools, data, focus)
        listed = None if not request.namespace else {request.namespace} | referenced_namespaces(data, focus)
        focus = await _cluster_dns(tools, data, focus, listed=listed)
        backends = webhook_services(data.events) | aggregated_api_services(data)
        focus = await _backends(tools, data, focus, listed, backends)
        everywhere = _ClusterPods(tools)
        focus = await _drain_holders(tools, data, focus, listed, everywhere)
        focus = await _troubled_clients(tools, data, focus, listed, everywhere)
        focus = await _preemptors(tools, data, focus, listed, everywhere)
        focus = await _node_agents(tools, data, focus, listed, everywhere)
        context = AnalysisContext.around("kubernetes", request.window, namespace=request.namespace, focus=focus)
        findings = run("kubernetes", data, context)[:MAX_FINDINGS]
        return AgentResult(findings=findings, checked=healthy_checks(data))
