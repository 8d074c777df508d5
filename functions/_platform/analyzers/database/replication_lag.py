"""replication_lag: standbys replaying far behind the primary, or this server behind its own primary."""

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


class ReplicationLagAnalyzer:
    kind = "replication_lag"

    def analyze(self, data: DatabaseSnapshot, context: AnalysisContext) -> list[Finding]:
        t = context.thresholds
        lagging = sorted((r for r in data.replication if (r.replay_lag_s or 0) >= t.replication_lag_s),
                         key=lambda r: -(r.replay_lag_s or 0))
        worst = max([r.replay_lag_s or 0 for r in lagging] + [data.replay_delay_s or 0])
        if worst < t.replication_lag_s or worst <= 0:
            return []
        critical_lag = max(t.replication_lag_s, 1.0) * t.critical_age_factor
        if lagging:
            names = ", ".join(r.application_name or r.client_addr or "?" for r in lagging[:3])
            summary = f"{data.target}: {len(lagging)} standby(s) replaying {fmt_age(worst)} behind ({names})"
        else:
            summary = f"{data.target}: this standby is {fmt_age(worst)} behind its primary"
        evidence = {"worst_lag_s": round(worst, 1), "standby_replay_delay_s": data.replay_delay_s,
                    "replicas": [r.model_dump() for r in lagging[:EVIDENCE_ITEMS]]}
        return [make_finding(self.kind, data.target, severity_for(worst, critical_lag),
                             strength(worst, t.replication_lag_s, critical_lag), summary, context, evidence,
                             data.query_for("replication", "server_info"))]
