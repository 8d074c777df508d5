"""Read-only diagnostics client for one PostgreSQL target (psycopg 3, imported lazily).

Every call opens a short autocommit session with `default_transaction_read_only = on`, a statement timeout
and a lock timeout, runs one catalogue query and closes. Nothing here writes to the database.
"""

from __future__ import annotations

import datetime as dt
import decimal
import ipaddress
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from functions._platform.domains.database.source import queries
from functions._platform.domains.database.source.redact import redact
from functions._platform.domains.database.source.targets import PostgresTarget

APPLICATION_NAME = "sreo-diagnostics"
ROW_LIMIT = 200


class DiagnosticsError(RuntimeError):
    """A diagnostic failed. `stage` says whether we could not connect or the query failed; text is redacted."""

    def __init__(self, target: str, stage: Literal["connect", "query"], message: str):
        super().__init__(f"{target}: {'could not connect' if stage == 'connect' else 'query failed'}: {message}")
        self.target = target
        self.stage = stage
        self.message = message


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address | ipaddress.IPv4Network
                  | ipaddress.IPv6Network | ipaddress.IPv4Interface | ipaddress.IPv6Interface | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


class PostgresDiagnostics:
    def __init__(self, target: PostgresTarget, statement_timeout_ms: int = 5000, connect_timeout_s: int = 5):
        self.target = target
        self.statement_timeout_ms = statement_timeout_ms
        self.connect_timeout_s = connect_timeout_s

    def _error(self, stage: Literal["connect", "query"], exc: Exception) -> DiagnosticsError:
        text = " ".join(str(exc).split()) or type(exc).__name__
        return DiagnosticsError(self.target.name, stage, redact(text, self.target.secrets)[:500])

    @contextmanager
    def _session(self) -> Iterator[Any]:
        import psycopg
        from psycopg.rows import dict_row

        try:
            conn = psycopg.connect(self.target.dsn, autocommit=True, connect_timeout=self.connect_timeout_s,
                                   application_name=APPLICATION_NAME, row_factory=dict_row)
        except psycopg.Error as exc:
            raise self._error("connect", exc) from None
        try:
            try:
                conn.execute("SET default_transaction_read_only = on")
                conn.execute(f"SET statement_timeout = {int(self.statement_timeout_ms)}")
                conn.execute("SET lock_timeout = 1000")
            except psycopg.Error as exc:
                raise self._error("query", exc) from None
            yield conn
        finally:
            conn.close()

    def _rows(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        import psycopg

        with self._session() as conn:
            try:
                rows = conn.execute(sql, params or {}).fetchall()
            except psycopg.Error as exc:
                raise self._error("query", exc) from None
        return [jsonable(dict(row)) for row in rows]

    def _one(self, sql: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        rows = self._rows(sql, params)
        return rows[0] if rows else {}

    def server_info(self) -> dict[str, Any]:
        return self._one(queries.SERVER_INFO) | {"target": self.target.name}

    def connection_usage(self, top: int = 20) -> dict[str, Any]:
        import psycopg

        with self._session() as conn:
            try:
                usage = dict(conn.execute(queries.CONNECTION_USAGE).fetchone() or {})
                clients = conn.execute(queries.CONNECTIONS_BY_CLIENT, {"limit": top}).fetchall()
            except psycopg.Error as exc:
                raise self._error("query", exc) from None
        by_state: dict[str, int] = {}
        for row in clients:
            by_state[row["state"]] = by_state.get(row["state"], 0) + int(row["connections"])
        return jsonable(usage | {"target": self.target.name, "by_state": by_state,
                                 "clients": [dict(row) for row in clients]})

    def activity(self, limit: int = 2000) -> list[dict[str, Any]]:
        return self._rows(queries.ACTIVITY, {"limit": limit})

    def blocking_chains(self, limit: int = ROW_LIMIT) -> list[dict[str, Any]]:
        return self._rows(queries.BLOCKING_CHAINS, {"limit": limit})

    def long_transactions(self, min_age_s: float, limit: int = ROW_LIMIT) -> list[dict[str, Any]]:
        return self._rows(queries.LONG_TRANSACTIONS, {"min_age_s": float(min_age_s), "limit": limit})

    def long_queries(self, min_age_s: float, limit: int = ROW_LIMIT) -> list[dict[str, Any]]:
        return self._rows(queries.LONG_QUERIES, {"min_age_s": float(min_age_s), "limit": limit})

    def idle_in_transaction(self, min_age_s: float, limit: int = ROW_LIMIT) -> list[dict[str, Any]]:
        return self._rows(queries.IDLE_IN_TRANSACTION, {"min_age_s": float(min_age_s), "limit": limit})

    def database_stats(self) -> dict[str, Any]:
        return self._one(queries.DATABASE_STATS)

    def replication(self, limit: int = ROW_LIMIT) -> list[dict[str, Any]]:
        return self._rows(queries.REPLICATION, {"limit": limit})
