"""What the database analyzers read: the rows of the `postgres` MCP tools, typed, for one database.

Row models ignore unknown columns so other servers' tools (mapped via `mcp_tool_names`) still fit.
`queries` names, per section, the exact tool call or SQL that produced it; findings quote it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from functions._platform.analyzers.kinds import GENERIC, FindingKind
from functions._platform.domains.database.analyzers.grading import truncate

# Emitted by the database agent for a target whose diagnostics it could not read; says where to look, not what to do.
DIAGNOSTICS_UNAVAILABLE = FindingKind(name="db_diagnostics_unavailable", domain="database", actions=GENERIC)


class Row(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Session(Row):
    pid: int
    datname: str | None = None
    usename: str | None = None
    application_name: str | None = None
    client_addr: str | None = None
    state: str | None = None
    wait_event_type: str | None = None
    wait_event: str | None = None
    backend_start: datetime | None = None
    xact_start: datetime | None = None
    query_start: datetime | None = None
    state_change: datetime | None = None
    xact_age_s: float | None = None
    query_age_s: float | None = None
    state_age_s: float | None = None
    backend_xmin: str | None = None
    query: str | None = None

    def describe(self) -> dict[str, Any]:
        return {"pid": self.pid, "user": self.usename, "application": self.application_name or None,
                "client_addr": self.client_addr, "state": self.state,
                "wait_event": ":".join(x for x in (self.wait_event_type, self.wait_event) if x) or None,
                "xact_age_s": _round(self.xact_age_s), "query_age_s": _round(self.query_age_s),
                "state_age_s": _round(self.state_age_s), "query": truncate(self.query)}


class ClientConnections(Row):
    datname: str | None = None
    usename: str | None = None
    application_name: str | None = None
    state: str = "unknown"
    connections: int = 0


class ConnectionUsage(Row):
    max_connections: int
    superuser_reserved_connections: int = 0
    reserved_connections: int = 0
    used: int
    observed_at: datetime | None = None
    by_state: dict[str, int] = Field(default_factory=dict)
    clients: list[ClientConnections] = Field(default_factory=list)

    @property
    def usable(self) -> int:
        """Connections an ordinary (non-superuser) client can open."""
        return max(1, self.max_connections - self.superuser_reserved_connections - self.reserved_connections)


class BlockingEdge(Row):
    waiting_pid: int
    waiting_user: str | None = None
    waiting_application: str | None = None
    waiting_query: str | None = None
    waiting_lock_type: str | None = None
    waiting_since: datetime | None = None
    waiting_s: float | None = None
    waiting_for: str | None = None
    blocker_pid: int
    blocker_user: str | None = None
    blocker_application: str | None = None
    blocker_client_addr: str | None = None
    blocker_state: str | None = None
    blocker_wait_event_type: str | None = None
    blocker_query: str | None = None
    blocker_xact_start: datetime | None = None
    blocker_xact_age_s: float | None = None
    blocker_state_age_s: float | None = None


class CounterSample(Row):
    deadlocks: int | None = None
    xact_commit: int | None = None
    xact_rollback: int | None = None
    stats_reset: datetime | None = None
    observed_at: datetime


class Replica(Row):
    pid: int | None = None
    application_name: str | None = None
    client_addr: str | None = None
    state: str | None = None
    sync_state: str | None = None
    write_lag_s: float | None = None
    flush_lag_s: float | None = None
    replay_lag_s: float | None = None
    replay_lag_bytes: float | None = None


class DatabaseSnapshot(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(description="Subject of the database, e.g. `postgres/orders`.")
    database: str | None = None
    observed_at: datetime | None = None
    connection_usage: ConnectionUsage | None = None
    activity: list[Session] = Field(default_factory=list)
    blocking: list[BlockingEdge] = Field(default_factory=list)
    long_transactions: list[Session] = Field(default_factory=list)
    long_queries: list[Session] = Field(default_factory=list)
    idle_in_transaction: list[Session] = Field(default_factory=list)
    database_stats: CounterSample | None = None
    counter_history: list[CounterSample] = Field(default_factory=list)
    replication: list[Replica] = Field(default_factory=list)
    replay_delay_s: float | None = Field(default=None, description="On a standby: seconds behind its primary.")
    queries: dict[str, str] = Field(default_factory=dict, description="Section -> exact tool call or SQL.")

    def query_for(self, *sections: str) -> str:
        return "; ".join(self.queries[s] for s in sections if s in self.queries)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
