"""MCP server `postgres`: read-only PostgreSQL diagnostics, one tool per catalogue query, JSON rows out.

Targets come from `SREO_DIAG_POSTGRES_DSNS`; tools take the target's name (`postgres/orders`, or just
`orders`). Run standalone with `python -m functions._platform.domains.database.server [--transport http]`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations

from functions._platform.config import Settings, get_settings
from functions._platform.domains.database.analyzers.thresholds import DEFAULT_THRESHOLDS as T
from functions._platform.domains.database.source.api import DiagnosticsError, PostgresDiagnostics
from functions._platform.domains.database.source.counters import CounterStore
from functions._platform.domains.database.source.redact import redact_dsn
from functions._platform.domains.database.source.targets import parse_targets
from functions._platform.mcp.servers.sdk import new_server, serve, serve_parser

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True)


def counter_store_path(settings: Settings) -> Path:
    return Path(settings.home) / "diagnostics" / "postgres_counters.json"


class _Targets:
    def __init__(self, settings: Settings):
        try:
            self.targets, self.error = parse_targets(settings.diag_postgres_dsns), None
        except ValueError as exc:
            self.targets, self.error = [], redact_dsn(str(exc))

    def get(self, name: str) -> PostgresDiagnostics:
        if self.error:
            raise ToolError(self.error)
        wanted = name if name.startswith("postgres/") else f"postgres/{name}"
        for target in self.targets:
            if target.name == wanted:
                return PostgresDiagnostics(target)
        known = ", ".join(t.name for t in self.targets) or "none (set SREO_DIAG_POSTGRES_DSNS)"
        raise ToolError(f"unknown target {name!r}; configured: {known}")


def _run(diagnostics: PostgresDiagnostics, method: str, **kwargs: Any) -> Any:
    try:
        return getattr(diagnostics, method)(**kwargs)
    except DiagnosticsError as exc:
        raise ToolError(str(exc)) from None


def build(settings: Settings) -> MCPServer:
    server = new_server("postgres", "Read-only PostgreSQL diagnostics for the configured databases.")
    targets = _Targets(settings)
    counters = CounterStore(counter_store_path(settings))

    @server.tool(annotations=READ_ONLY)
    def list_targets() -> list[dict[str, str]]:
        """The configured databases (passwords masked)."""
        if targets.error:
            raise ToolError(targets.error)
        return [t.describe() for t in targets.targets]

    @server.tool(annotations=READ_ONLY)
    def server_info(target: str) -> dict[str, Any]:
        """Version, recovery state, start time and (on a standby) replay delay."""
        return _run(targets.get(target), "server_info")

    @server.tool(annotations=READ_ONLY)
    def connection_usage(target: str, top: int = 20) -> dict[str, Any]:
        """Client connections used against max_connections, per state, and the top clients."""
        return _run(targets.get(target), "connection_usage", top=top)

    @server.tool(annotations=READ_ONLY)
    def activity(target: str, limit: int = 2000) -> list[dict[str, Any]]:
        """pg_stat_activity client backends on the server: state, wait event, ages in seconds, query."""
        return _run(targets.get(target), "activity", limit=limit)

    @server.tool(annotations=READ_ONLY)
    def blocking_chains(target: str, limit: int = 200) -> list[dict[str, Any]]:
        """One row per (waiting pid, blocking pid) from pg_blocking_pids, with the blocker's query, state, age."""
        return _run(targets.get(target), "blocking_chains", limit=limit)

    @server.tool(annotations=READ_ONLY)
    def long_transactions(target: str, min_age_s: float = T.long_transaction_s, limit: int = 200) -> list[dict]:
        """Transactions open for at least min_age_s seconds."""
        return _run(targets.get(target), "long_transactions", min_age_s=min_age_s, limit=limit)

    @server.tool(annotations=READ_ONLY)
    def long_queries(target: str, min_age_s: float = T.long_query_s, limit: int = 200) -> list[dict]:
        """Statements active for at least min_age_s seconds."""
        return _run(targets.get(target), "long_queries", min_age_s=min_age_s, limit=limit)

    @server.tool(annotations=READ_ONLY)
    def idle_in_transaction(target: str, min_age_s: float = T.idle_in_transaction_s, limit: int = 200) -> list[dict]:
        """Sessions idle inside an open transaction for at least min_age_s seconds."""
        return _run(targets.get(target), "idle_in_transaction", min_age_s=min_age_s, limit=limit)

    @server.tool(annotations=READ_ONLY)
    def database_stats(target: str, record: bool = True) -> dict[str, Any]:
        """pg_stat_database counters (deadlocks, commits, rollbacks) now, plus earlier samples as a baseline."""
        diagnostics = targets.get(target)
        current = _run(diagnostics, "database_stats")
        name = diagnostics.target.name
        history = counters.record(name, current) if record and current else counters.history(name)
        return {"current": current, "history": history[-50:]}

    @server.tool(annotations=READ_ONLY)
    def replication(target: str, limit: int = 200) -> list[dict[str, Any]]:
        """pg_stat_replication: one row per standby with write/flush/replay lag in seconds and bytes."""
        return _run(targets.get(target), "replication", limit=limit)

    return server


def main(argv: list[str] | None = None) -> None:
    parser = serve_parser(__doc__.splitlines()[0], 8000)
    args = parser.parse_args(argv)
    server = build(get_settings())
    serve(server, args)


if __name__ == "__main__":
    main()
