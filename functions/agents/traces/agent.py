"""The traces agent: fetch the traces touching a service through the `traces` MCP tools and judge its edges."""

from __future__ import annotations

from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.config import Settings
from functions._platform.domains.traces.analyzers.edge_degraded import judge
from functions._platform.domains.traces.source import TraceSpan, group_traces, traces_configured
from functions._platform.mcp.client import ToolSession, describe_call
from functions.agents.contract import AgentResult
from sreo_events.models import InvestigationRequested

TRACE_LIMIT = 500  # traces per search: one over the baseline, one over the window, so neither crowds out the other


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
        spans: list[TraceSpan] = []
        calls = []
        for start, end in (context.baseline_s, context.window_s):
            arguments: dict[str, Any] = {"start": f"{start:.0f}", "end": f"{end:.0f}", "limit": TRACE_LIMIT,
                                         "include_spans": True}
            if request.service:
                arguments["service"] = request.service
            spans.extend(spans_from_answer(await tools.call("search_traces", arguments)))
            calls.append(describe_call("search_traces", arguments))
        unique = {(span.trace_id, span.span_id): span for span in spans}.values()
        verdict = judge(group_traces(unique), context.but(query="; ".join(calls)))
        return AgentResult(findings=verdict.findings, checked=verdict.checked, unjudged=verdict.unjudged)
