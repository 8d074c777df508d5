"""Where the kubernetes agent looks beyond the namespaces it listed first: what the focus's evidence points at
elsewhere (the cluster DNS, a webhook's or aggregated API's backend, what holds a drain, the clients a server's
logs name, a preemptor, a node's CNI agent, the callers of a healthy server). Each step lists the namespaces it
finds (ConfigMaps excepted) and adds their workloads to the focus."""

from __future__ import annotations

from functions._platform.domains.kubernetes.analyzers.admission_webhook import webhook_services
from functions._platform.domains.kubernetes.analyzers.aggregated_api import aggregated_api_services
from functions._platform.domains.kubernetes.analyzers.cluster_dns import (
    depends_on_cluster_dns,
    dns_services,
    dns_workloads,
    ready_endpoint,
    resolver_addresses,
)
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.dependencies import callers_naming, workloads_behind
from functions._platform.domains.kubernetes.analyzers.disruption_budget import (
    cordoned_nodes,
    held_drains,
    waiting_for_cordoned,
)
from functions._platform.domains.kubernetes.analyzers.log_peers import (
    logged_addresses,
    troubled_peers,
)
from functions._platform.domains.kubernetes.analyzers.node_autoscaler import (
    autoscalers_down,
    waiting_for_room,
)
from functions._platform.domains.kubernetes.analyzers.node_datapath import datapath_down, focus_nodes
from functions._platform.domains.kubernetes.analyzers.ownership import (
    name_of,
    namespace_of,
    pods_of,
    troubled,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.preemption import pod_reference, preemptions
from functions._platform.domains.kubernetes.analyzers.pull_secret_writer import (
    denied_pulls,
    failing_jobs,
    secret_writers,
)
from functions._platform.domains.kubernetes.analyzers.sandbox_network import node_agent, stuck_sandboxes
from functions._platform.domains.kubernetes.analyzers.scaler_controller import managed_autoscalers
from functions._platform.domains.kubernetes.tools import AGENT_LISTINGS
from functions._platform.mcp.client import ToolSession
from functions.agents.kubernetes.reading import ClusterPods, fetch, join, list_namespaces, listed_items


async def _adopt(tools: ToolSession, data: ClusterState, focus: frozenset[str], listed: set[str],
                 pods: list[dict]) -> frozenset[str]:
    """The focus with the workloads of `pods` (found across the cluster) in it, their namespaces not yet listed
    listed too (ConfigMaps excepted)."""
    await list_namespaces(tools, data, sorted({namespace_of(pod) for pod in pods} - listed))
    return await join(tools, data, focus, {workload_of(data, pod) for pod in pods})


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
        await listed_items(tools, "list_services", {}), addresses)
    failing: list[dict] = []
    for service in services:
        namespace = namespace_of(service)
        if namespace in listed:
            continue
        endpoints = await listed_items(tools, "list_endpoints", {"namespace": namespace}) if not addresses else []
        if addresses or ready_endpoint(endpoints, service) is False:
            failing.append(service)
    namespaces = sorted({namespace_of(service) for service in failing})
    if not namespaces:
        return focus
    await list_namespaces(tools, data, namespaces)
    return await join(tools, data, focus, dns_workloads(data, failing))


async def _backends(tools: ToolSession, data: ClusterState, focus: frozenset[str], listed: set[str] | None,
                    services: set[tuple[str, str]]) -> frozenset[str]:
    """When the API server could not reach a Service it calls for the focus (an admission webhook's, an
    aggregated API's: `services`, as (namespace, name)), list that Service's namespace too (ConfigMaps excepted)
    and read its troubled containers' logs: the workload serving it joins the focus, which depends on it.
    `listed`: the namespaces already listed (None: all)."""
    namespaces = sorted({namespace for namespace, _ in services} - (listed or set())) if listed is not None else []
    await list_namespaces(tools, data, namespaces)
    serving = {w for namespace, service in services for w in workloads_behind(data, service, namespace)}
    return await join(tools, data, focus, serving)


async def _drain_holders(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                         listed: set[str] | None, everywhere: ClusterPods) -> frozenset[str]:
    """When pods wait for the capacity of a cordoned node, find what holds its drain: the PodDisruptionBudgets
    across the cluster that allow no eviction and protect pods still on it. Their namespaces are listed too
    (ConfigMaps excepted) and the workloads they protect join the focus. `listed`: the namespaces already listed
    (None: all)."""
    cordoned = cordoned_nodes(data)
    if listed is None or not cordoned or not waiting_for_cordoned(data):
        return focus
    budgets = [b for b in await listed_items(tools, "list_pdbs", {}) if namespace_of(b) not in listed]
    pods = [p for p in await everywhere.get() if (p.get("spec") or {}).get("nodeName") in cordoned]
    probe = ClusterState(pods=pods, nodes=data.nodes, poddisruptionbudgets=budgets)
    namespaces = sorted({namespace_of(drain.budget) for drain in held_drains(probe)})
    await list_namespaces(tools, data, namespaces)
    holders = {drain.subject for drain in held_drains(data)}
    return await join(tools, data, focus, holders)


async def _troubled_clients(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                            listed: set[str] | None, everywhere: ClusterPods) -> frozenset[str]:
    """When the focus's logs name addresses of pods outside the namespaces listed (the clients a broker or a
    database logs), find those pods across the cluster; the troubled ones' namespaces are listed too (ConfigMaps
    excepted) and their workloads join the focus, which they call. `listed`: the namespaces already listed
    (None: all)."""
    addresses = logged_addresses(data, focus) if listed is not None else set()
    if not addresses:
        return focus
    peers = [p for p in troubled_peers(await everywhere.get(), addresses) if namespace_of(p) not in listed]
    return await _adopt(tools, data, focus, listed, peers)


async def _preemptors(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                      listed: set[str] | None, everywhere: ClusterPods) -> frozenset[str]:
    """When pods listed were preempted by a pod not listed (events name it by uid), find it across the cluster:
    its namespace is listed too (ConfigMaps excepted) and its workload joins the focus, which it took the room of.
    `listed`: the namespaces already listed (None: all)."""
    known = {ref for pod in data.pods for ref in pod_reference(pod)}
    wanted = {p.preemptor for p in preemptions(data)} - known if listed is not None else set()
    if not wanted:
        return focus
    found = [pod for pod in await everywhere.get() if pod_reference(pod) & wanted]
    return await _adopt(tools, data, focus, listed, found)


async def _node_agents(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                       listed: set[str] | None, everywhere: ClusterPods) -> frozenset[str]:
    """When pods listed cannot get a network for their sandboxes, find the CNI agent on their node (a DaemonSet
    pod, usually in kube-system): its namespace is listed too (ConfigMaps excepted) and its workload joins the
    focus, which waits on it. `listed`: the namespaces already listed (None: all)."""
    stuck = stuck_sandboxes(data) if listed is not None else {}
    if not stuck:
        return focus
    pods = await everywhere.get()
    agents = [found[0] for node, sandbox in stuck.items() if (found := node_agent(pods, node, sandbox.plugins))]
    return await _adopt(tools, data, focus, listed, agents)


async def _callers(tools: ToolSession, data: ClusterState, focus: frozenset[str], listed: set[str] | None,
                   service: str | None) -> frozenset[str]:
    """When the pods of the service asked about show no trouble, find the workloads in namespaces not listed whose
    config names its Services (`rabbitmq.messaging.svc`): its callers, whose own failure may be what the alert sees
    (a consumer that fails on what it takes from a queue). Their namespaces are listed too (ConfigMaps excepted)
    and they join the focus. `listed`: the namespaces already listed (None: all)."""
    asked = workloads_behind(data, service) & focus if service and listed is not None else set()
    pods = [pod for workload in asked for pod in pods_of(data, workload)]
    if not pods or any(troubled(pod) for pod in pods):
        return focus
    services = [s for s in data.services if workloads_behind(data, name_of(s), namespace_of(s)) & asked]
    elsewhere = [obj for tool in ("list_deployments", "list_statefulsets") for obj in await listed_items(tools, tool, {})
                 if namespace_of(obj) not in (listed or set())]
    found = callers_naming(data, elsewhere, services)
    await list_namespaces(tools, data, sorted({namespace for namespace, _ in found}))
    return await join(tools, data, focus, {name for _, name in found})


async def _datapath_agents(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                           listed: set[str] | None, everywhere: ClusterPods) -> frozenset[str]:
    """When the focus runs on a node whose datapath agent (kube-proxy, the CNI agent) is troubled, find that agent
    across the cluster (usually in kube-system): its namespace is listed too (ConfigMaps excepted) and its
    workload joins the focus, whose traffic on that node goes through it. `listed`: the namespaces already
    listed (None: all)."""
    hosting = focus_nodes(data, focus) if listed is not None else {}
    if not hosting:
        return focus
    agents = [pod for node, pods in datapath_down(await everywhere.get()).items() if node in hosting for pod in pods]
    return await _adopt(tools, data, focus, listed, agents)


async def _node_autoscaler(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                           listed: set[str] | None, everywhere: ClusterPods) -> frozenset[str]:
    """When pods listed wait for room no autoscaler tried to add, find the node autoscaler across the cluster:
    when it is not running, its namespace is listed too (ConfigMaps excepted) and it joins the focus. `listed`: the
    namespaces already listed (None: all)."""
    if listed is None or not waiting_for_room(data) or autoscalers_down(data.pods):
        return focus
    return await _adopt(tools, data, focus, listed, autoscalers_down(await everywhere.get()))


async def _secret_writers(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                          listed: set[str] | None) -> frozenset[str]:
    """When the registry refuses the pull secret of pods listed, find the failing Jobs across the cluster: their
    namespaces are listed, ConfigMaps too (a renewal script names the secret there), and the workload of the one
    whose config names the secret joins the focus. `listed`: the namespaces already listed (None: all)."""
    denied = denied_pulls(data) if listed is not None else {}
    if not denied or secret_writers(data, set(denied)):
        return focus
    namespaces = sorted({namespace_of(job) for job in failing_jobs(await listed_items(tools, "list_jobs", {}), data)}
                        - listed)
    await list_namespaces(tools, data, namespaces)
    await fetch(tools, data, "list_configmaps", AGENT_LISTINGS["list_configmaps"],
                [{"namespace": namespace} for namespace in namespaces], extend=True)
    return await join(tools, data, focus, {workload for _, workload in secret_writers(data, set(denied))})


async def _scaler_controllers(tools: ToolSession, data: ClusterState, focus: frozenset[str],
                              listed: set[str] | None, everywhere: ClusterPods) -> frozenset[str]:
    """When an autoscaler listed is managed by a controller not listed (`managed-by: keda-operator`), find that
    controller's troubled pods across the cluster: their namespace is listed too (ConfigMaps excepted) and the
    controller joins the focus. `listed`: the namespaces already listed (None: all)."""
    wanted = {c for c in managed_autoscalers(data) if not pods_of(data, c)} if listed is not None else set()
    if not wanted:
        return focus
    found = [pod for pod in await everywhere.get() if troubled(pod)
             and any(name_of(pod).startswith(f"{controller}-") for controller in wanted)]
    await list_namespaces(tools, data, sorted({namespace_of(pod) for pod in found} - listed))
    return await join(tools, data, focus, {workload_of(data, pod) for pod in found} & wanted)


async def widen(tools: ToolSession, data: ClusterState, focus: frozenset[str], listed: set[str] | None,
                service: str | None) -> frozenset[str]:
    """The focus with what its evidence points at outside the namespaces listed (`listed`; None: all), each step's
    namespaces listed and its troubled containers' logs read."""
    focus = await _cluster_dns(tools, data, focus, listed=listed)
    focus = await _backends(tools, data, focus, listed, webhook_services(data.events) | aggregated_api_services(data))
    everywhere = ClusterPods(tools)
    focus = await _drain_holders(tools, data, focus, listed, everywhere)
    focus = await _troubled_clients(tools, data, focus, listed, everywhere)
    focus = await _preemptors(tools, data, focus, listed, everywhere)
    focus = await _node_agents(tools, data, focus, listed, everywhere)
    focus = await _datapath_agents(tools, data, focus, listed, everywhere)
    focus = await _node_autoscaler(tools, data, focus, listed, everywhere)
    focus = await _secret_writers(tools, data, focus, listed)
    focus = await _scaler_controllers(tools, data, focus, listed, everywhere)
    return await _callers(tools, data, focus, listed, service)
