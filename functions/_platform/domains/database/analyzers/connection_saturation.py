"""db_connection_saturation: client connections near the limit ordinary clients can use."""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.database.analyzers.grading import make_finding, severity_for, strength
from functions._platform.domains.database.analyzers.snapshot import DatabaseSnapshot, Session
from sreo_events.models import Finding

MAX_CLIENTS = 10  # clients listed by connections opened in the window

DB_CONNECTION_SATURATION = FindingKind(
    name="db_connection_saturation", domain="database",
    actions=(
        action("cap-pools", "Find which client holds connections to {subject}; cap its pool",
               "SELECT usename, application_name, client_addr, state, count(*) FROM pg_stat_activity "
               "GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC;", "low"),
        action("terminate-idle-tx", "Terminate idle-in-transaction sessions on {subject}",
               "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction';",
               "high", True),
    ),
    runbook_alerts=("PostgresTooManyConnections",),
)


def opened_by_client(sessions: list[Session], since: datetime) -> list[dict]:
    """Per client (application name and address): connections held, and how many of them were opened since
    `since`, the most opened first. Who opened the connections that filled the server is who took them."""
    held: Counter = Counter()
    opened: Counter = Counter()
    first: dict[tuple, datetime] = {}
    for session in sessions:
        key = (session.application_name or None, session.client_addr)
        held[key] += 1
        if session.backend_start is not None and session.backend_start >= since:
            opened[key] += 1
            first[key] = min(first.get(key, session.backend_start), session.backend_start)
    ranked = sorted(opened, key=lambda key: (-opened[key], str(key)))[:MAX_CLIENTS]
    return [{"application": application, "client_addr": address, "opened": opened[(application, address)],
             "held": held[(application, address)], "first_opened": first[(application, address)].isoformat()}
            for application, address in ranked]


class ConnectionSaturationAnalyzer:
    kind = "db_connection_saturation"
    kinds = (DB_CONNECTION_SATURATION,)
    scopes = frozenset({"snapshot"})

    def analyze(self, data: DatabaseSnapshot, context: AnalysisContext) -> list[Finding]:
        usage = data.connection_usage
        if usage is None:
            return []
        t = context.scope.thresholds
        ratio = usage.used / usage.usable
        if ratio < t.connection_saturation_ratio:
            return []
        top = sorted(usage.clients, key=lambda c: (-c.connections, c.application_name or "", c.state))[:5]
        starts = sorted(s.backend_start for s in data.activity if s.backend_start is not None)
        opened_before = sum(1 for s in starts if s < context.window.start)
        needed = math.ceil(t.connection_saturation_ratio * usage.usable)
        onset = starts[needed - 1] if 0 < needed <= len(starts) else None
        by_app = Counter()
        for client in usage.clients:
            by_app[client.application_name or client.usename or "?"] += client.connections
        leader, leader_count = by_app.most_common(1)[0] if by_app else ("?", 0)
        summary = (f"{data.target}: {usage.used}/{usage.usable} usable connections in use ({ratio:.0%}, "
                   f"max_connections={usage.max_connections}); {leader!r} holds {leader_count}")
        if starts:
            summary += f"; {len(starts) - opened_before} opened since the incident window began"
        evidence = {
            "used": usage.used, "usable": usage.usable, "max_connections": usage.max_connections,
            "superuser_reserved_connections": usage.superuser_reserved_connections,
            "ratio": round(ratio, 3), "by_state": dict(sorted(usage.by_state.items())),
            "top_clients": [c.model_dump() for c in top],
            "open_before_window": opened_before if starts else None,
            "opened_in_window": len(starts) - opened_before if starts else None,
            "opened_by_client": opened_by_client(data.activity, context.window.start),
        }
        return [make_finding(
            self.kind, data.target, severity_for(ratio, t.connection_critical_ratio),
            strength(ratio, t.connection_saturation_ratio, t.connection_critical_ratio), summary, context,
            evidence, data.query_for("connection_usage", "activity"), onset=onset)]
