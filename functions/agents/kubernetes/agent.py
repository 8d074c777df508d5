"""The kubernetes agent: list the cluster state through the `kubernetes` MCP tools, run the analyzers."""

from __future__ import annotations

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.runner import run
from functions._platform.config import Settings
from functions._platform.domains.kubernetes.analyzers.checks import healthy_checks
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.collection import (
    LOG_TAIL_LINES,
    log_requests,
)
from functions._platform.domains.kubernetes.analyzers.dependencies import focus_subjects
from functions._platform.domains.kubernetes.source import is_configured
from functions._platform.domains.kubernetes.tools import AGENT_LISTINGS
from functions._platform.mcp.client import ToolCallError, ToolSession, describe_call
from functions.agents.contract import AgentResult
from sreo_events.models import InvestigationRequested

MAX_FINDINGS = 60  # keeps the evidence event well under its size limit; the strongest and focus come first


def _items(answer: object) -> list[dict]:
    """A listing as a list of objects, whether the server answers a list or a `List` object."""
    if isinstance(answer, dict):
        answer = answer.get("items", [])
    return [item for item in answer or [] if isinstance(item, dict)] if isinstance(answer, list) else []


class KubernetesAgent:
    domain = "kubernetes"
    server = "kubernetes"

    def configured(self, settings: Settings) -> bool:
        return is_configured(settings) or self.server in settings.mcp_targets

    async def investigate(self, request: InvestigationRequested, tools: ToolSession) -> AgentResult:
        data = ClusterState()
        for tool, listing in AGENT_LISTINGS.items():
            field, required = listing.kind, listing.required
            scoped = request.namespace and not listing.cluster_scoped
            arguments = {"namespace": request.namespace} if scoped else {}
            try:
                items = await tools.call(tool, arguments)
            except ToolCallError:
                if required:
                    raise
                continue
            setattr(data, field, _items(items))
            data.queries[field] = describe_call(tool, arguments)
        focus = focus_subjects(data, request.service)
        for wanted in log_requests(data, focus):
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
        context = AnalysisContext.around("kubernetes", request.window, namespace=request.namespace, focus=focus)
        findings = run("kubernetes", data, context)[:MAX_FINDINGS]
        return AgentResult(findings=findings, checked=healthy_checks(data))
