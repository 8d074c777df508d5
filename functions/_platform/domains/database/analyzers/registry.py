"""The database analyzers. Adding one is one module and one line here."""

from __future__ import annotations

from collections.abc import Iterable

from functions._platform.domains.database.analyzers.base import AnalysisContext, Analyzer
from functions._platform.domains.database.analyzers.connection_errors import ConnectionErrorsAnalyzer, LogLine
from functions._platform.domains.database.analyzers.connection_saturation import ConnectionSaturationAnalyzer
from functions._platform.domains.database.analyzers.deadlocks import DeadlocksAnalyzer
from functions._platform.domains.database.analyzers.idle_in_transaction import IdleInTransactionAnalyzer
from functions._platform.domains.database.analyzers.lock_contention import LockContentionAnalyzer
from functions._platform.domains.database.analyzers.long_running_query import LongRunningQueryAnalyzer
from functions._platform.domains.database.analyzers.long_running_transaction import (
    LongRunningTransactionAnalyzer,
)
from functions._platform.domains.database.analyzers.replication_lag import ReplicationLagAnalyzer
from functions._platform.domains.database.analyzers.snapshot import DatabaseSnapshot
from sreo_events.models import Finding

SNAPSHOT_ANALYZERS: list[Analyzer[DatabaseSnapshot]] = [
    ConnectionSaturationAnalyzer(),
    IdleInTransactionAnalyzer(),
    LockContentionAnalyzer(),
    LongRunningTransactionAnalyzer(),
    LongRunningQueryAnalyzer(),
    DeadlocksAnalyzer(),
    ReplicationLagAnalyzer(),
]

LOG_ANALYZERS: list[Analyzer[Iterable[LogLine | str]]] = [
    ConnectionErrorsAnalyzer(),
]


def analyze_snapshot(snapshot: DatabaseSnapshot, context: AnalysisContext) -> list[Finding]:
    return [finding for analyzer in SNAPSHOT_ANALYZERS for finding in analyzer.analyze(snapshot, context)]


def analyze_log_lines(lines: Iterable[LogLine | str], context: AnalysisContext) -> list[Finding]:
    lines = list(lines)
    return [finding for analyzer in LOG_ANALYZERS for finding in analyzer.analyze(lines, context)]


def kinds() -> list[str]:
    return [a.kind for a in (*SNAPSHOT_ANALYZERS, *LOG_ANALYZERS)]
