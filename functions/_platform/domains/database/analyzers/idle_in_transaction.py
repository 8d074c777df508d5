"""db_idle_in_transaction: sessions that opened a transaction and went quiet, hoarding a connection
(and any locks and snapshot it holds)."""

from __future__ import annotations

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.database.analyzers.grading import (
    EVIDENCE_ITEMS,
    at_or_over,
    critical_level,
    fmt_age,
    make_finding,
    strength,
)
from functions._platform.domains.database.analyzers.snapshot import DatabaseSnapshot
from sreo_events.models import Finding

IDLE_STATES = ("idle in transaction", "idle in transaction (aborted)")


DB_IDLE_IN_TRANSACTION = FindingKind(
    name="db_idle_in_transaction", domain="database",
    actions=(
        action("idle-tx-timeout", "Set idle_in_transaction_session_timeout for the offending role on {subject}",
               "ALTER ROLE <role> SET idle_in_transaction_session_timeout = '60s';", "medium", True),
    ),
    runbook_alerts=("PostgresLockContention",),
)


def _who(session) -> str:
    return session.application_name or session.usename or "?"


def _summary(target: str, hoarders: list, blocking: list[int]) -> str:
    oldest = hoarders[0]
    summary = (f"{target}: {len(hoarders)} session(s) idle in transaction, oldest pid {oldest.pid} "
               f"({_who(oldest)}) for {fmt_age(oldest.state_age_s)}")
    if blocking:
        summary += f"; pid(s) {', '.join(map(str, blocking[:5]))} block other sessions"
    return summary


class IdleInTransactionAnalyzer:
    kind = "db_idle_in_transaction"
    kinds = (DB_IDLE_IN_TRANSACTION,)
    scopes = frozenset({"snapshot"})

    def analyze(self, data: DatabaseSnapshot, context: AnalysisContext) -> list[Finding]:
        t = context.scope.thresholds
        hoarders = at_or_over((s for s in data.idle_in_transaction if s.state in IDLE_STATES),
                              lambda s: s.state_age_s, t.idle_in_transaction_s)
        if not hoarders:
            return []
        blockers = {edge.blocker_pid for edge in data.blocking}
        blocking = [s.pid for s in hoarders if s.pid in blockers]
        oldest_age = hoarders[0].state_age_s or 0
        critical_age = critical_level(t.idle_in_transaction_s, context)
        critical = bool(blocking) or oldest_age >= critical_age
        apps = sorted({_who(s) for s in hoarders})
        onsets = [s.state_change for s in hoarders if s.state_change is not None]
        evidence = {"count": len(hoarders), "applications": apps[:EVIDENCE_ITEMS],
                    "blocking_pids": blocking[:EVIDENCE_ITEMS],
                    "sessions": [s.describe() for s in hoarders[:EVIDENCE_ITEMS]]}
        return [make_finding(
            self.kind, data.target, "critical" if critical else "warning",
            max(strength(oldest_age, t.idle_in_transaction_s, critical_age), 0.8 if blocking else 0),
            _summary(data.target, hoarders, blocking), context, evidence, data.query_for("idle_in_transaction"),
            onset=min(onsets) if onsets else None)]
