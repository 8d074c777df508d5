"""How the kubernetes agent reads the cluster through the `kubernetes` MCP tools: listings (one call per argument
set), container logs, Node events, and more namespaces for a focus that grows."""

from __future__ import annotations

from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.collection import LOG_TAIL_LINES, log_requests
from functions._platform.domains.kubernetes.tools import AGENT_LISTINGS, Listing
from functions._platform.mcp.client import ToolCallError, ToolSession, describe_call


def items_of(answer: object) -> list[dict]:
    """A listing as a list of objects, whether the server answers a list or a `List` object."""
    if isinstance(answer, dict):
        answer = answer.get("items", [])
    return [item for item in answer or [] if isinstance(item, dict)] if isinstance(answer, list) else []


async def fetch(tools: ToolSession, data: ClusterState, tool: str, listing: Listing,
                calls: list[dict[str, str]], extend: bool = False) -> None:
    """Fill the listing's field from one call per argument set (`extend`: add to what it holds); a failed
    optional call is left out."""
    items: list[dict] = list(getattr(data, listing.kind)) if extend else []
    made: list[str] = [data.queries[listing.kind]] if extend and data.queries.get(listing.kind) else []
    for arguments in calls:
        try:
            items += items_of(await tools.call(tool, arguments))
        except ToolCallError:
            if listing.required:
                raise
            continue
        made.append(describe_call(tool, arguments))
    if made:
        data.fill(listing.kind, items)
        data.queries[listing.kind] = "; ".join(made)


async def read_logs(tools: ToolSession, data: ClusterState, focus: frozenset[str]) -> None:
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


async def node_events(tools: ToolSession, data: ClusterState, namespace: str | None) -> None:
    """Events about Nodes (the kubelet's, node-problem-detector's) are posted in the default namespace: read them
    there too when the investigation is scoped to another."""
    if not namespace or namespace == "default":
        return
    try:
        answer = await tools.call("list_events", {"namespace": "default"})
    except ToolCallError:
        return
    about_nodes = [e for e in items_of(answer) if (e.get("involvedObject") or e.get("regarding") or {}).get("kind") == "Node"]
    if about_nodes:
        data.fill("events", [*data.events, *about_nodes])
        data.queries["events"] = "; ".join(filter(None, [data.queries.get("events"),
                                                         describe_call("list_events", {"namespace": "default"})]))


async def listed_items(tools: ToolSession, tool: str, arguments: dict[str, str]) -> list[dict]:
    try:
        return items_of(await tools.call(tool, arguments))
    except ToolCallError:
        return []


class ClusterPods:
    """Every pod in the cluster, listed on first need and once per investigation: several steps may want them."""

    def __init__(self, tools: ToolSession) -> None:
        self._tools = tools
        self._pods: list[dict] | None = None

    async def get(self) -> list[dict]:
        if self._pods is None:
            self._pods = await listed_items(self._tools, "list_pods", {})
        return self._pods


async def list_namespaces(tools: ToolSession, data: ClusterState, namespaces: list[str]) -> None:
    """List more namespaces, for everything listed per namespace (ConfigMaps, asked for apart, excepted)."""
    for tool, listing in AGENT_LISTINGS.items():
        if namespaces and not listing.cluster_scoped and not listing.per_namespace:
            await fetch(tools, data, tool, listing, [{"namespace": ns} for ns in namespaces], extend=True)


async def join(tools: ToolSession, data: ClusterState, focus: frozenset[str], joining: set[str]) -> frozenset[str]:
    """The focus with `joining` in it, whose troubled containers' logs are read then."""
    if not joining - focus:
        return focus
    focus = focus | joining
    await read_logs(tools, data, focus)
    return focus
