"""The kubernetes agent: list the cluster state through the `kubernetes` MCP tools, run the analyzers."""

from __future__ import annotations

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.runner import run
from functions._platform.config import Settings
from functions._platform.domains.kubernetes.analyzers.checks import healthy_checks
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.dependencies import (
    focus_subjects,
    namespaces_of,
    referenced_namespaces,
)
from functions._platform.domains.kubernetes.source import is_configured
from functions._platform.domains.kubernetes.tools import AGENT_LISTINGS, Listing
from functions._platform.mcp.client import ToolSession
from functions.agents.contract import AgentResult
from functions.agents.kubernetes.reading import fetch, list_namespaces, node_events, read_logs
from functions.agents.kubernetes.widening import widen
from sreo_events.models import InvestigationRequested

MAX_FINDINGS = 60  # keeps the evidence event well under its size limit; the strongest and focus come first


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
            await fetch(tools, data, tool, listing, [{"namespace": request.namespace} if scoped else {}])
        await node_events(tools, data, request.namespace)
        focus = focus_subjects(data, request.service)
        if per_namespace:  # no namespace given: the focus's namespaces, else whatever the server watches
            arguments = [{"namespace": namespace} for namespace in namespaces_of(data, focus)] or [{}]
            for tool, listing in per_namespace.items():
                await fetch(tools, data, tool, listing, arguments)
            focus = focus_subjects(data, request.service)
        elif request.namespace:  # Services the focus calls in other namespaces, by their cluster DNS names
            others = sorted(referenced_namespaces(data, focus) - {request.namespace})
            if others:
                await list_namespaces(tools, data, others)
                focus = focus_subjects(data, request.service)
        await read_logs(tools, data, focus)
        listed = None if not request.namespace else {request.namespace} | referenced_namespaces(data, focus)
        focus = await widen(tools, data, focus, listed, request.service)
        context = AnalysisContext.around("kubernetes", request.window, namespace=request.namespace, focus=focus)
        findings = run("kubernetes", data, context)[:MAX_FINDINGS]
        return AgentResult(findings=findings, checked=healthy_checks(data))
