"""The logs agent: reads the incident window and its baseline through the logs MCP server, runs the log
analyzers (error_rate_spike, new_log_template, log_flood)."""

from __future__ import annotations

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.runner import run
from functions._platform.config import Settings
from functions._platform.domains.logs.analyzers.windows import by_service, windows_before
from functions._platform.domains.logs.source.record import LogRecord
from functions._platform.mcp.client import ToolSession, describe_call
from functions._platform.search.registry import sqlite_search_path
from functions.agents.contract import AgentResult
from sreo_events.models import InvestigationRequested

RECORD_LIMIT = 20_000


def logs_configured(settings: Settings) -> bool:
    return bool(settings.opensearch_url or "logs" in settings.mcp_targets or sqlite_search_path(settings).exists())


async def fetch_window(
    tools: ToolSession, request: InvestigationRequested, service: str | None
) -> tuple[list[LogRecord], AnalysisContext, bool]:
    context = windows_before(request.window.start, request.window.end)
    arguments = {"start": context.baseline.start.isoformat(), "end": context.window.end.isoformat(),
                 "service": service, "limit": RECORD_LIMIT}
    result = await tools.call("fetch_records", arguments)
    context.query = describe_call("fetch_records", arguments)
    return [LogRecord.from_doc(doc) for doc in result["records"]], context, bool(result.get("truncated"))


class LogsAgent:
    domain = "logs"
    server = "logs"

    def configured(self, settings: Settings) -> bool:
        return logs_configured(settings)

    async def investigate(self, request: InvestigationRequested, tools: ToolSession) -> AgentResult:
        records, context, truncated = await fetch_window(tools, request, request.service)
        queries = {request.service: context.query}
        for neighbour in request.related:
            extra, fetched, cut = await fetch_window(tools, request, neighbour)
            records, truncated = records + extra, truncated or cut
            queries[neighbour] = fetched.query
        if not records and request.service:  # the service may log under another name; look at all of them
            records, context, truncated = await fetch_window(tools, request, None)
            queries = {}
        if not records:
            return AgentResult(status="no_data")
        findings = [f.model_copy(update={"query": queries.get(f.subject, f.query)})  # the fetch that read its lines
                    for f in run("logs", records, context)]
        flagged = {f.subject for f in findings}
        checked = [
            f"logs {service}: {len(lines)} lines, no error spike, new template or flood"
            for service, lines in sorted(by_service(records).items()) if service not in flagged
        ]
        if truncated:
            checked.append(f"logs: only the newest {len(records)} lines of the window were analysed")
        return AgentResult(findings=findings, checked=checked)
