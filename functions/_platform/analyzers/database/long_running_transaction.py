"""long_running_transaction: transactions open far longer than usual; they hold locks and the xmin
horizon (vacuum cannot clean behind them)."""

from __future__ import annotations

from events.models import Finding
from functions._platform.analyzers.database.base import (
    EVIDENCE_ITEMS,
    AnalysisContext,
    fmt_age,
    make_finding,
    severity_for,
    strength,
)
from functions._platform.analyzers.database.snapshot import DatabaseSnapshot


class LongRunningTransactionAnalyzer:
    kind = "long_running_transaction"

    def analyze(self, data: DatabaseSnapshot, context: AnalysisContext) -> list[Finding]:
        t = context.thresholds
        long = sorted((s for s in data.long_transactions if (s.xact_age_s or 0) >= t.long_transaction_s),
                      key=lambda s: -(s.xact_age_s or 0))
        if not long:
            return []
        oldest = long[0]
        age = oldest.xact_age_s or 0
        critical_age = max(t.long_transaction_s, 1.0) * t.critical_age_factor
        started_before = sum(1 for s in long if s.xact_start and s.xact_start < context.window.start)
        summary = (f"{data.target}: {len(long)} transaction(s) open longer than {fmt_age(t.long_transaction_s)}; "
                   f"oldest pid {oldest.pid} ({oldest.application_name or oldest.usename or '?'}, "
                   f"{oldest.state}) for {fmt_age(age)}")
        evidence = {"count": len(long), "started_before_window": started_before,
                    "oldest_backend_xmin": oldest.backend_xmin,
                    "sessions": [s.describe() for s in long[:EVIDENCE_ITEMS]]}
        return [make_finding(self.kind, data.target, severity_for(age, critical_age),
                             strength(age, t.long_transaction_s, critical_age), summary, context, evidence,
                             data.query_for("long_transactions"), onset=oldest.xact_start)]
