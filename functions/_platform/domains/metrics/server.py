"""MCP server `metrics`: instant and range queries, series and label values over the configured metrics source.

Run standalone: `python -m functions._platform.domains.metrics.server --transport stdio|http [--host --port]`.
"""

from __future__ import annotations

from typing import Any

from functions._platform.config import Settings
from functions._platform.domains.metrics.source import (
    MetricsSourceError,
    open_metrics_provider,
    parse_duration,
)
from functions._platform.mcp.servers.reuse import reused
from functions._platform.mcp.servers.sdk import new_server, serve, serve_parser
from functions._platform.mcp.servers.source_tools import SourceTools, tool_error

MAX_SERIES = 500


def build(settings: Settings):
    """The server for `settings`. Over files (parsed once per content, see the offline provider) one built
    server is kept and shared by every session; Prometheus gets a new server, whose HTTP client belongs to
    one event loop, per session."""
    if settings.prometheus_url:
        return _build(settings)
    return reused("metrics", settings, _build)


def _build(settings: Settings):
    server = new_server("metrics", (
        "Prometheus-style metrics. Times are RFC 3339 or unix seconds; durations like 30s, 5m, 1h. "
        "Offline sources accept only series selectors such as name{label=\"value\"}, not full PromQL."
    ))
    tools = SourceTools(lambda: open_metrics_provider(settings), MetricsSourceError,
                        "no metrics source configured (set SREO_PROMETHEUS_URL or SREO_METRICS_FILES)")
    provider, span, guarded = tools.provider, tools.span, tools.guarded

    @server.tool()
    async def instant_query(query: str, time: str | None = None) -> dict[str, Any]:
        """Evaluate a query at one instant (default now). Returns {"series": [{"labels", "points"}], ...}."""
        _, at = span(None, time)
        found = await guarded(provider().instant(query, at))
        return {"query": query, "time": at, "truncated": len(found) > MAX_SERIES,
                "series": [s.to_json() for s in found[:MAX_SERIES]]}

    @server.tool()
    async def range_query(query: str, start: str | None = None, end: str | None = None,
                          step: str = "60s") -> dict[str, Any]:
        """Evaluate a query over [start, end] (default the last hour) every `step`."""
        start_s, end_s = span(start, end)
        try:
            step_s = parse_duration(step)
        except ValueError as exc:
            raise tool_error(str(exc)) from exc
        if step_s <= 0:
            raise tool_error("step must be positive")
        found = await guarded(provider().range(query, start_s, end_s, step_s))
        return {"query": query, "start": start_s, "end": end_s, "step": step_s,
                "truncated": len(found) > MAX_SERIES, "series": [s.to_json() for s in found[:MAX_SERIES]]}

    @server.tool()
    async def list_series(match: str, start: str | None = None, end: str | None = None) -> dict[str, Any]:
        """Label sets of the series matching a selector in [start, end] (default the last hour)."""
        start_s, end_s = span(start, end)
        found = await guarded(provider().series(match, start_s, end_s))
        return {"match": match, "truncated": len(found) > MAX_SERIES, "labels": found[:MAX_SERIES]}

    @server.tool()
    async def label_values(label: str, match: str | None = None, start: str | None = None,
                           end: str | None = None) -> dict[str, Any]:
        """Distinct values of a label (e.g. `service`, `job`), optionally on series matching a selector."""
        start_s, end_s = span(start, end)
        values = await guarded(provider().label_values(label, match, start_s, end_s))
        return {"label": label, "values": values}

    return server


def main(argv: list[str] | None = None) -> None:
    parser = serve_parser("Serve the metrics MCP server.", 8765)
    parser.add_argument("--prometheus-url", help="overrides SREO_PROMETHEUS_URL")
    parser.add_argument("--metrics-files", help="overrides SREO_METRICS_FILES (comma-separated)")
    parser.add_argument("--metrics-csv-layout", choices=["auto", "component_metric"],
                        help="overrides SREO_METRICS_CSV_LAYOUT (component_metric: headers are <component>_<metric>)")
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in {"prometheus_url": args.prometheus_url, "metrics_files": args.metrics_files,
                                   "metrics_csv_layout": args.metrics_csv_layout}.items() if v}
    server = build(Settings(**overrides))
    serve(server, args)


if __name__ == "__main__":
    main()
