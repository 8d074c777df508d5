"""The database domain: its analyzers, its MCP server (`postgres`) and its triage hints."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from functions._platform.domains.contract import DomainSlice, ServerEntry, TriageHints

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from functions._platform.analyzers.contract import Analyzer
    from functions._platform.config import Settings


def _analyzers() -> tuple[Analyzer[Any], ...]:  # scopes: "snapshot" (the diagnostics) or "log_lines"
    from functions._platform.domains.database.analyzers.connection_errors import ConnectionErrorsAnalyzer
    from functions._platform.domains.database.analyzers.connection_saturation import (
        ConnectionSaturationAnalyzer,
    )
    from functions._platform.domains.database.analyzers.deadlocks import DeadlocksAnalyzer
    from functions._platform.domains.database.analyzers.idle_in_transaction import IdleInTransactionAnalyzer
    from functions._platform.domains.database.analyzers.lock_contention import LockContentionAnalyzer
    from functions._platform.domains.database.analyzers.long_running_query import LongRunningQueryAnalyzer
    from functions._platform.domains.database.analyzers.long_running_transaction import (
        LongRunningTransactionAnalyzer,
    )
    from functions._platform.domains.database.analyzers.replication_lag import ReplicationLagAnalyzer

    return (
        ConnectionSaturationAnalyzer(), IdleInTransactionAnalyzer(), LockContentionAnalyzer(),
        LongRunningTransactionAnalyzer(), LongRunningQueryAnalyzer(), DeadlocksAnalyzer(), ReplicationLagAnalyzer(),
        ConnectionErrorsAnalyzer(),
    )


def _server(settings: Settings) -> MCPServer:
    from functions._platform.domains.database.server import build

    return build(settings)


DATABASE = DomainSlice(
    name="database",
    triage=TriageHints(
        keywords=re.compile(
            r"\b(postgres\w*|pg\w*|mysql|database|db|sql|deadlock\w*|lock\w*|replica(tion)?|connection pool|"
            r"too many connections|query|queries|transaction\w*|rds|cloud ?sql)\b", re.IGNORECASE),
        labels=("datname", "database", "db", "db_name"),
    ),
    analyzers=_analyzers,
    server=ServerEntry("postgres", _server),
)
