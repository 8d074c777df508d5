"""MCP server `traces`: services, trace search, one trace, and per-edge call statistics over the configured
traces source (Tempo, Jaeger or OTLP/JSON files).

Run standalone: `python -m functions._platform.domains.traces.server --transport stdio|http [--host --port]`.
"""

from __future__ import annotations

from typing import Any

from functions._platform.config import Settings
from functions._platform.domains.traces.analyzers.calls import edge_table
from functions._platform.domains.traces.source import TracesSourceError, open_traces_provider
from functions._platform.mcp.servers.reuse import reused
from functions._platform.mcp.servers.sdk import new_server, serve, serve_parser
from functions._platform.mcp.servers.source_tools import SourceTools, tool_error

MAX_TRACES = 5000
DEFAULT_SPAN_S = 3600.0


def build(settings: Settings):
    """The server for `settings`. Over files one built server is kept and shared by every session; Tempo and
    Jaeger get a new server, whose HTTP client belongs to one event loop, per session."""
    if settings.tempo_url or settings.jaeger_url:
        return _build(settings)
    return reused("traces", settings, _build)


def _build(settings: Settings):
    server = new_server("traces", (
        "Distributed traces (Tempo, Jaeger or OTLP/JSON files). Times are RFC 3339 or unix seconds. "
        "edge_stats gives per caller -> callee calls, failures, latency and the callee's own time."
    ))

    tools = SourceTools(lambda: open_traces_provider(settings), TracesSourceError,
                        "no traces source configured (set SREO_TEMPO_URL, SREO_JAEGER_URL or SREO_TRACES_FILES)")
    guarded = tools.guarded

    def span(start: str | None, end: str | None) -> tuple[float, float]:
        return tools.span(start, end, DEFAULT_SPAN_S)

    @server.tool()
    async def list_services(start: str | None = None, end: str | None = None) -> dict[str, Any]:
        """Service names with spans in [start, end] (default the last hour)."""
        start_s, end_s = span(start, end)
        return {"services": await guarded(tools.provider().services(start_s, end_s))}

    @server.tool()
    async def search_traces(service: str | None = None, start: str | None = None, end: str | None = None,
                            limit: int = 20, include_spans: bool = False) -> dict[str, Any]:
        """Traces that started in [start, end] (default the last hour) and touch `service`: summaries, or with
        `include_spans` every span (trace_id, span_id, parent_id, service, name, kind, start, end, error)."""
        start_s, end_s = span(start, end)
        limit = max(1, min(limit, MAX_TRACES))
        found = await guarded(tools.provider().search(service, start_s, end_s, limit))
        traces = [{**trace.summary(), **({"spans": [s.to_json() for s in trace.spans]} if include_spans else {})}
                  for trace in found]
        return {"service": service, "start": start_s, "end": end_s, "truncated": len(found) >= limit,
                "source": tools.provider().description, "traces": traces}

    @server.tool()
    async def get_trace(trace_id: str) -> dict[str, Any]:
        """Every span of one trace, in start order."""
        trace = await guarded(tools.provider().trace(trace_id))
        if trace is None:
            raise tool_error(f"trace {trace_id} not found")
        return {**trace.summary(), "spans": [s.to_json() for s in trace.spans]}

    @server.tool()
    async def edge_stats(service: str | None = None, start: str | None = None, end: str | None = None,
                         limit: int = 1000) -> dict[str, Any]:
        """Per caller -> callee edge in the traces touching `service` in [start, end]: calls, errors, p50/p95
        call latency (seconds) and the callee's median own time (its server span minus its own calls)."""
        start_s, end_s = span(start, end)
        found = await guarded(tools.provider().search(service, start_s, end_s, max(1, min(limit, MAX_TRACES))))
        return {"service": service, "start": start_s, "end": end_s, "traces": len(found),
                "edges": edge_table(found)}

    return server


def main(argv: list[str] | None = None) -> None:
    parser = serve_parser("Serve the traces MCP server.", 8769)
    parser.add_argument("--tempo-url", help="overrides SREO_TEMPO_URL")
    parser.add_argument("--jaeger-url", help="overrides SREO_JAEGER_URL")
    parser.add_argument("--traces-files", help="overrides SREO_TRACES_FILES (comma-separated paths or globs)")
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in {"tempo_url": args.tempo_url, "jaeger_url": args.jaeger_url,
                                   "traces_files": args.traces_files}.items() if v}
    serve(build(Settings(**overrides)), args)


if __name__ == "__main__":
    main()
