"""The metrics agent: fetch a service's signals through the `metrics` MCP tools and run the metrics analyzers."""

from __future__ import annotations

from typing import Any

from functions._platform.config import Settings
from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.domains.metrics.analyzers.signals import SignalData
from functions._platform.domains.metrics.analyzers.sweep import analyze_metrics
from functions._platform.domains.metrics.source import Series, metrics_configured
from functions._platform.domains.metrics.source.prometheus import to_series as prometheus_series
from functions._platform.mcp.client import ToolSession, describe_call
from functions.agents.contract import AgentResult
from sreo_events.models import InvestigationRequested


def series_from_answer(answer: Any) -> list[Series]:
    """Our tools' `{"series": [...]}`, or a third-party server passing Prometheus API JSON through."""
    if not isinstance(answer, dict):
        return []
    if "series" in answer:
        return [Series.from_json(item) for item in answer["series"]]
    data = answer.get("data", answer)
    return prometheus_series(data) if isinstance(data, dict) else []


class ToolFetcher:
    """Fetches series through the MCP tools, so a third-party Prometheus MCP server works too."""

    def __init__(self, tools: ToolSession):
        self.tools = tools

    async def range(self, query: str, start: float, end: float, step: float) -> SignalData:
        arguments = {"query": query, "start": f"{start:.0f}", "end": f"{end:.0f}", "step": f"{step:g}s"}
        answer = await self.tools.call("range_query", arguments)
        return SignalData(series_from_answer(answer), describe_call("range_query", arguments))

    async def label_values(self, label: str, match: str | None, start: float, end: float) -> list[str]:
        arguments = {"label": label, "start": f"{start:.0f}", "end": f"{end:.0f}"}
        if match:
            arguments["match"] = match
        answer = await self.tools.call("label_values", arguments)
        if isinstance(answer, dict):  # ours: {"values": [...]}; Prometheus API passthrough: {"data": [...]}
            answer = answer.get("values", answer.get("data", []))
        return [str(value) for value in answer or []]


class MetricsAgent:
    domain = "metrics"
    server = "metrics"

    def __init__(self, mapping: MetricsMapping | None = None):
        self.mapping = mapping or MetricsMapping()

    def configured(self, settings: Settings) -> bool:
        return metrics_configured(settings) or self.server in settings.mcp_targets

    async def investigate(self, request: InvestigationRequested, tools: ToolSession) -> AgentResult:
        # with the service's dependency graph, follow it; without one, every component the source knows
        services = [request.service, *request.related] if request.service and request.related else None
        verdict = await analyze_metrics(ToolFetcher(tools), request.window, services=services, mapping=self.mapping,
                                        symptom_onset=request.started_at)
        return AgentResult(findings=verdict.findings, checked=verdict.checked, unjudged=verdict.short_history)
