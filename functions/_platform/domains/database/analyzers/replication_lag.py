"""replication_lag: standbys replaying far behind the primary, or this server behind its own primary."""

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

REPLICATION_LAG = FindingKind(
    name="replication_lag", domain="database",
    actions=(
        action("replication-lag", "Check the standby's replay and the primary's WAL sender on {subject}",
               "SELECT client_addr, state, replay_lag FROM pg_stat_replication;", "low"),
    ),
)


class ReplicationLagAnalyzer:
    kind = "replication_lag"
    kinds = (REPLICATION_LAG,)
    scopes = frozenset({"snapshot"})

    def analyze(self, data: DatabaseSnapshot, context: AnalysisContext) -> list[Finding]:
        t = context.scope.thresholds
        lagging = at_or_over(data.replication, lambda r: r.replay_lag_s, t.replication_lag_s)
        worst = max([r.replay_lag_s or 0 for r in lagging] + [data.replay_delay_s or 0])
        if worst < t.replication_lag_s or worst <= 0:
            return []
        if lagging:
            names = ", ".join(r.application_name or r.client_addr or "?" for r in lagging[:3])
            summary = f"{data.target}: {len(lagging)} standby(s) replaying {fmt_age(worst)} behind ({names})"
        else:
            summary = f"{data.target}: this standby is {fmt_age(worst)} behind its primary"
        evidence = {"worst_lag_s": round(worst, 1), "standby_replay_delay_s": data.replay_delay_s,
                    "replicas": [r.model_dump() for r in lagging[:EVIDENCE_ITEMS]]}
        return graded_finding(self.kind, data.target, worst, t.replication_lag_s, summary, context, evidence,
                              data.query_for("replication", "server_info"))
