"""The database agent: for each configured PostgreSQL target, read the diagnostics through the `postgres`
MCP server, build a snapshot, run the database analyzers. A target it cannot reach is itself a finding."""

from __future__ import annotations

import asyncio
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.runner import run
from functions._platform.config import Settings
from functions._platform.domains.database.analyzers.connection_errors import classify
from functions._platform.domains.database.analyzers.grading import database_context
from functions._platform.domains.database.analyzers.snapshot import DatabaseSnapshot
from functions._platform.domains.database.analyzers.thresholds import (
    DEFAULT_THRESHOLDS,
    DatabaseScope,
    DatabaseThresholds,
)
from functions._platform.mcp.client import ToolCallError, ToolSession, describe_call
from functions.agents.contract import AgentResult, SourceNotConfigured
from sreo_events.models import Finding, InvestigationRequested


class _TargetReport:
    def __init__(self, name: str):
        self.name = name
        self.findings: list[Finding] = []
        self.healthy: str | None = None
        self.failure: ToolCallError | None = None


class DatabaseAgent:
    domain = "database"
    server = "postgres"

    def __init__(self, thresholds: DatabaseThresholds | None = None):
        self.thresholds = thresholds or DEFAULT_THRESHOLDS

    def configured(self, settings: Settings) -> bool:
        return bool((settings.diag_postgres_dsns or "").strip()) or self.server in settings.mcp_targets

    async def investigate(self, request: InvestigationRequested, tools: ToolSession) -> AgentResult:
        targets = await tools.call("list_targets")
        if not targets:
            raise SourceNotConfigured("no PostgreSQL targets are configured (SREO_DIAG_POSTGRES_DSNS)")
        context = database_context(request.window, thresholds=self.thresholds)
        reports = await asyncio.gather(*(self._investigate_target(t["name"], tools, context) for t in targets))
        failures = [r.failure for r in reports if r.failure is not None]
        if failures and len(failures) == len(reports):
            raise failures[0]
        findings = [f for r in reports for f in r.findings]
        for report in reports:
            if report.failure is not None:
                findings.append(Finding(
                    kind="db_diagnostics_unavailable", subject=report.name, severity="info", score=0.1,
                    summary=f"{report.name}: diagnostics failed: {report.failure.message[:200]}",
                    window=context.window, query=report.failure.call))
        return AgentResult(findings=findings, checked=[r.healthy for r in reports if r.healthy])

    async def _investigate_target(self, name: str, tools: ToolSession, context: AnalysisContext) -> _TargetReport:
        report = _TargetReport(name)
        t = self.thresholds
        queries: dict[str, str] = {}

        async def call(section: str, tool: str, **extra: Any) -> Any:
            arguments = {"target": name, **extra}
            queries[section] = describe_call(tool, arguments)
            return await tools.call(tool, arguments)

        try:
            info = await call("server_info", "server_info")
        except ToolCallError as exc:
            if classify(exc.message) is None:
                report.failure = exc
            else:
                report.findings = self._unreachable(name, exc, context)
            return report
        sections: dict[str, Any] = {}
        plan = [("connection_usage", "connection_usage", {}), ("activity", "activity", {}),
                ("blocking", "blocking_chains", {}),
                ("long_transactions", "long_transactions", {"min_age_s": t.long_transaction_s}),
                ("long_queries", "long_queries", {"min_age_s": t.long_query_s}),
                ("idle_in_transaction", "idle_in_transaction", {"min_age_s": t.idle_in_transaction_s}),
                ("database_stats", "database_stats", {}), ("replication", "replication", {})]
        skipped: list[str] = []
        for section, tool, extra in plan:
            try:
                sections[section] = await call(section, tool, **extra)
            except ToolCallError:
                skipped.append(section)
        stats = sections.pop("database_stats", None) or {}
        snapshot = DatabaseSnapshot(
            target=name, database=info.get("database"), observed_at=info.get("observed_at"),
            replay_delay_s=info.get("replay_delay_s"), database_stats=stats.get("current") or None,
            counter_history=stats.get("history") or [], queries=queries, **sections)
        report.findings = run("database", snapshot, context, scope="snapshot")
        if not report.findings and not skipped:
            report.healthy = self._healthy_line(snapshot)
        return report

    def _unreachable(self, name: str, exc: ToolCallError, context: AnalysisContext) -> list[Finding]:
        own = context.but(scope=DatabaseScope(
            subject=name, thresholds=self.thresholds.model_copy(update={"connection_errors_min": 1})))
        return [f.model_copy(update={
                    "severity": "critical", "score": max(f.score, 0.9), "query": exc.call,
                    "summary": f"{name}: the diagnostics connection failed: {exc.message[:200]}",
                    "evidence": f.evidence | {"source": "diagnostics connection"}})
                for f in run("database", [exc.message], own, scope="log_lines")]

    @staticmethod
    def _healthy_line(snapshot: DatabaseSnapshot) -> str:
        usage = snapshot.connection_usage
        used = f"{usage.used}/{usage.max_connections} connections" if usage else "connections unknown"
        deadlocks = snapshot.database_stats.deadlocks if snapshot.database_stats else None
        return (f"{snapshot.target}: {used}, no blocking, no long transactions or queries"
                + (f", {deadlocks} deadlocks since stats reset" if deadlocks else ""))
