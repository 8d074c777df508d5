"""long_running_transaction: transactions open far longer than usual; they hold locks and the xmin
horizon (vacuum cannot clean behind them)."""

from __future__ import annotations

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.database.analyzers.grading import (
    EVIDENCE_ITEMS,
    at_or_over,
    fmt_age,
    graded_finding,
)
from functions._platform.domains.database.analyzers.snapshot import DatabaseSnapshot
from sreo_events.models import Finding

LONG_RUNNING_TRANSACTION = FindingKind(
    name="long_running_transaction", domain="database",
    actions=(
        action("end-transaction", "End the long transaction (pid {pid}) on {subject}",
               "SELECT pg_terminate_backend({pid});", "high", True, "pid"),
    ),
)


class LongRunningTransactionAnalyzer:
    kind = "long_running_transaction"
    kinds = (LONG_RUNNING_TRANSACTION,)
    scopes = frozenset({"snapshot"})

    def analyze(self, data: DatabaseSnapshot, context: AnalysisContext) -> list[Finding]:
        t = context.scope.thresholds
        long = at_or_over(data.long_transactions, lambda s: s.xact_age_s, t.long_transaction_s)
        if not long:
            return []
        oldest = long[0]
        age = oldest.xact_age_s or 0
        started_before = sum(1 for s in long if s.xact_start and s.xact_start < context.window.start)
        summary = (f"{data.target}: {len(long)} transaction(s) open longer than {fmt_age(t.long_transaction_s)}; "
                   f"oldest pid {oldest.pid} ({oldest.application_name or oldest.usename or '?'}, "
                   f"{oldest.state}) for {fmt_age(age)}")
        evidence = {"count": len(long), "started_before_window": started_before,
                    "oldest_backend_xmin": oldest.backend_xmin,
                    "sessions": [s.describe() for s in long[:EVIDENCE_ITEMS]]}
        return graded_finding(self.kind, data.target, age, t.long_transaction_s, summary, context, evidence,
                              data.query_for("long_transactions"), onset=oldest.xact_start)
