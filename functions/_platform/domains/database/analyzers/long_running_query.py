"""long_running_query: statements that have been active far longer than usual."""

from __future__ import annotations

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.database.analyzers.grading import (
    EVIDENCE_ITEMS,
    at_or_over,
    fmt_age,
    graded_finding,
    truncate,
)
from functions._platform.domains.database.analyzers.snapshot import DatabaseSnapshot
from sreo_events.models import Finding

LONG_RUNNING_QUERY = FindingKind(
    name="long_running_query", domain="database",
    actions=(
        action("cancel-query", "Cancel the long query (pid {pid}) on {subject}", "SELECT pg_cancel_backend({pid});",
               "medium", True, "pid"),
    ),
)


class LongRunningQueryAnalyzer:
    kind = "long_running_query"
    kinds = (LONG_RUNNING_QUERY,)
    scopes = frozenset({"snapshot"})

    def analyze(self, data: DatabaseSnapshot, context: AnalysisContext) -> list[Finding]:
        t = context.scope.thresholds
        slow = at_or_over((s for s in data.long_queries if s.state == "active"),
                          lambda s: s.query_age_s, t.long_query_s)
        if not slow:
            return []
        oldest = slow[0]
        age = oldest.query_age_s or 0
        waiting = sum(1 for s in slow if s.wait_event_type == "Lock")
        summary = (f"{data.target}: {len(slow)} statement(s) running longer than {fmt_age(t.long_query_s)}; "
                   f"longest pid {oldest.pid} for {fmt_age(age)}: {truncate(oldest.query, 120)}")
        evidence = {"count": len(slow), "waiting_on_locks": waiting,
                    "sessions": [s.describe() for s in slow[:EVIDENCE_ITEMS]]}
        return graded_finding(self.kind, data.target, age, t.long_query_s, summary, context, evidence,
                              data.query_for("long_queries"), onset=oldest.query_start)
