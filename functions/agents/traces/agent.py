"""The traces agent: fetch the traces touching a service through the `traces` MCP tools and judge its edges."""

from __future__ import annotations

from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.config import Settings
from functions._platform.domains.traces.analyzers.edge_degraded import judge
from functions._platform.domains.traces.source import TraceSpan, group_traces, traces_configured
from functions._platform.mcp.client import ToolSession, describe_call
from functions.agents.base import AgentResult
from sreo_events.models import InvestigationRequested

TRACE_LIMIT = 1000  # traces fetched over the baseline and the window


def spans_from_answer(answer: Any) -> list[TraceSpan]:
    if not isinstance(answer, dict):
        return []
    return [TraceSpan.from_json(span) for trace in answer.get("traces") or [] for span in trace.get("spans") or []]


class TracesAgent:
    domain = "traces"
    server = "traces"

    def configured(self, settings: Settings) -> bool:
        return traces_configured(settings) or self.server in settings.mcp_targets

    async def investigate(self, request: InvestigationRequested, tools: ToolSession) -> AgentResult:
        context = AnalysisContext.around("traces", request.window, namespace=request.namespace,
                                         focus=[s for s in (request.service, *request.related) if s])
        arguments: dict[str, Any] = {"start": f"{context.baseline_s[0]:.0f}", "end": f"{context.window_s[1]:.0f}",
                                     "limit": TRACE_LIMIT, "include_spans": True}
        if request.service:
            arguments["service"] = request.service
        answer = await tools.call("search_traces", arguments)
        verdict = judge(group_traces(spans_from_answer(answer)),
                        context.but(query=describe_call("search_traces", arguments)))
        return AgentResult(findings=verdict.findings, checked=verdict.checked, unjudged=verdict.unjudged)
