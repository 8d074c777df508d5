"""MCP server `logs`: search ingested logs, error counts over time, drain3 templates, records for the
analyzers, and TLS certificate checks of the configured endpoints.

Run standalone: `python -m functions._platform.domains.logs.server --transport stdio|http [--host --port]`.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from functions._platform.config import Settings
from functions._platform.domains.logs.source.record import LogRecord
from functions._platform.domains.logs.source.store import LogStore
from functions._platform.domains.logs.source.timeparse import parse_duration, span
from functions._platform.mcp.servers.reuse import reused
from functions._platform.mcp.servers.sdk import new_server, serve, serve_parser
from functions._platform.search import TimeRange, get_search_backend

MAX_HITS = 500
MAX_RECORDS = 50_000
MAX_BUCKETS = 2000
RECORD_TEXT_CHARS = 500
TEMPLATE_SAMPLE = 20_000


def compact(record: LogRecord) -> dict[str, Any]:
    doc = record.to_doc()
    doc["message"] = record.message[:RECORD_TEXT_CHARS]
    doc["raw"] = record.raw[:RECORD_TEXT_CHARS]
    return doc


def build(settings: Settings):
    """The server for `settings`, kept and shared by every session: its search backend is thread-safe, holds
    no event-loop state and reads what other processes ingest."""
    return reused("logs", settings, _build)


def _build(settings: Settings):
    from mcp.server.mcpserver.exceptions import ToolError

    server = new_server("logs", (
        "Logs ingested with `sreo logs ingest` (SQLite FTS5) or an OpenSearch cluster. Times are RFC 3339; "
        "windows default to the last hour; intervals are durations like 1m or 1h."
    ))
    state: dict[str, LogStore] = {}
    opening = threading.Lock()

    def store() -> LogStore:
        with opening:
            if "store" not in state:
                state["store"] = LogStore(get_search_backend(settings))
            return state["store"]

    def window(start: str | None, end: str | None):
        try:
            return span(start, end)
        except ValueError as exc:
            raise ToolError(str(exc)) from exc

    @server.tool()
    def list_services(start: str | None = None, end: str | None = None) -> dict[str, Any]:
        """Services with logs in [start, end) (default: all time) and their line counts."""
        lo, hi = window(start, end) if start or end else (None, None)
        return {"services": [{"service": t.value, "lines": t.count} for t in store().services(lo, hi)]}

    @server.tool()
    def search_logs(query: str | None = None, service: str | None = None, start: str | None = None,
                    end: str | None = None, limit: int = 50) -> dict[str, Any]:
        """Full-text search (BM25) of messages in a window, optionally for one service; newest first without a query."""
        lo, hi = window(start, end)
        filters = {"service": service} if service else None
        hits = store().backend.search(store().index, query, filters=filters, time_range=TimeRange(start=lo, end=hi),
                                      k=max(1, min(limit, MAX_HITS)))
        total = store().count(service, lo, hi, query)
        return {"total": total, "hits": [{"score": round(h.score, 3), **compact(LogRecord.from_doc(h.source))}
                                         for h in hits]}

    @server.tool()
    def error_counts(service: str | None = None, start: str | None = None, end: str | None = None,
                     interval: str = "1m") -> dict[str, Any]:
        """Date histogram of all lines and of error lines (5xx or error level and worse) per interval."""
        lo, hi = window(start, end)
        try:
            step = parse_duration(interval)
        except ValueError as exc:
            raise ToolError(str(exc)) from exc
        if step <= timedelta(0) or (hi - lo) / step > MAX_BUCKETS:
            raise ToolError(f"interval {interval} gives more than {MAX_BUCKETS} buckets; use a larger one")
        totals = store().histogram(service, lo, hi, step)
        errors = store().histogram(service, lo, hi, step, errors_only=True)
        return {"service": service, "interval": interval, "buckets": [
            {"start": t.start.isoformat(), "total": t.count, "errors": e.count} for t, e in zip(totals, errors)
        ]}

    @server.tool()
    def top_templates(service: str | None = None, start: str | None = None, end: str | None = None,
                      limit: int = 10) -> dict[str, Any]:
        """Most frequent message templates in the window, mined with drain3."""
        from functions._platform.domains.logs.analyzers.drain import TemplateMiner

        lo, hi = window(start, end)
        records, truncated = store().records(service, lo, hi, limit=TEMPLATE_SAMPLE)
        miner = TemplateMiner()
        miner.feed(records, in_incident=True)
        return {"lines": len(records), "truncated": truncated, "templates": [
            {"template": template, "count": stats.incident, "example": stats.records[0].message[:RECORD_TEXT_CHARS]}
            for template, stats in miner.top(max(1, min(limit, 100)))
        ]}

    @server.tool()
    def fetch_records(start: str, end: str, service: str | None = None, limit: int = 20_000) -> dict[str, Any]:
        """Normalised records in [start, end), oldest first, for analysis; `truncated` when `limit` cut them."""
        lo, hi = window(start, end)
        records, truncated = store().records(service, lo, hi, limit=max(1, min(limit, MAX_RECORDS)))
        return {"truncated": truncated, "records": [compact(r) for r in records]}

    @server.tool()
    def check_certificates(endpoints: str | None = None) -> dict[str, Any]:
        """TLS handshake with each host:port (default: SREO_TLS_ENDPOINTS); validity dates of the served cert."""
        from functions._platform.domains.auth.source.tls_probe import parse_endpoints, probe

        try:
            targets = parse_endpoints(endpoints or settings.tls_endpoints)
        except ValueError as exc:
            raise ToolError(f"bad endpoint list: {exc}") from exc
        return {"certificates": [probe(host, port).model_dump(mode="json") for host, port in targets]}

    return server


def main(argv: list[str] | None = None) -> None:
    parser = serve_parser("Serve the logs MCP server.", 8766)
    parser.add_argument("--home", help="overrides SREO_HOME (the embedded store)")
    parser.add_argument("--opensearch-url", help="overrides SREO_OPENSEARCH_URL")
    parser.add_argument("--tls-endpoints", help="overrides SREO_TLS_ENDPOINTS")
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in {"home": args.home, "opensearch_url": args.opensearch_url,
                                   "tls_endpoints": args.tls_endpoints}.items() if v}
    server = build(Settings(**overrides))
    serve(server, args)


if __name__ == "__main__":
    main()
