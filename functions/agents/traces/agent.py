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
SLICES = 10  # a search that hits the limit is asked again over this many equal stretches of its time range


def spans_from_answer(answer: Any) -> list[TraceSpan]:
    if not isinstance(answer, dict):
        return []
    return [TraceSpan.from_json(span) for trace in answer.get("traces") or [] for span in trace.get("spans") or []]


async def _search_once(tools: ToolSession, service: str | None, start: float, end: float, limit: int
                       ) -> tuple[list[TraceSpan], bool, dict[str, Any]]:
    arguments: dict[str, Any] = {"start": f"{start:.0f}", "end": f"{end:.0f}", "limit": limit, "include_spans": True}
    if service:
        arguments["service"] = service
    answer = await tools.call("search_traces", arguments)
    truncated = isinstance(answer, dict) and bool(answer.get("truncated"))
    return spans_from_answer(answer), truncated, arguments


async def search(tools: ToolSession, service: str | None, start: float, end: float, calls: list[str]
                 ) -> list[TraceSpan]:
    """The traces in [start, end]. When one search is truncated (the backend picks which traces it returns, the
    file provider the earliest), the range is searched again in equal stretches, each with its share of the
    limit, so the traces cover all of it and a change near its end is not left out."""
    spans, truncated, arguments = await _search_once(tools, service, start, end, TRACE_LIMIT)
    if not truncated:
        calls.append(describe_call("search_traces", arguments))
        return spans
    step, spans = (end - start) / SLICES, []
    for index in range(SLICES):
        found, _, _ = await _search_once(tools, service, start + index * step, start + (index + 1) * step,
                                         TRACE_LIMIT // SLICES)
        spans.extend(found)
    calls.append(describe_call("search_traces", {**arguments, "limit": TRACE_LIMIT // SLICES})
                 + f" over {SLICES} equal stretches of that range (one search there was truncated)")
    return spans


class TracesAgent:
    domain = "traces"
    server = "traces"

    def configured(self, settings: Settings) -> bool:
        return traces_configured(settings) or self.server in settings.mcp_targets

    async def investigate(self, request: InvestigationRequested, tools: ToolSession) -> AgentResult:
        context = AnalysisContext.around("traces", request.window, namespace=request.namespace,
                                         focus=[s for s in (request.service, *request.related) if s])
        spans: list[TraceSpan] = []
        calls: list[str] = []
        for start, end in (context.baseline_s, context.window_s):
            spans.extend(await search(tools, request.service, start, end, calls))
        unique = {(span.trace_id, span.span_id): span for span in spans}.values()
        verdict = judge(group_traces(unique), context.but(query="; ".join(calls)))
        return AgentResult(findings=verdict.findings, checked=verdict.checked, unjudged=verdict.unjudged)
