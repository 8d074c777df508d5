"""lock_contention: sessions waiting on locks, traced back to the root blocker of each chain.

A root blocker holds a lock others wait for while not waiting itself; every session that waits on
it directly or through another waiter belongs to its chain. One finding per root blocker, largest first.
"""

from __future__ import annotations

from collections import defaultdict

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.database.analyzers.grading import (
    EVIDENCE_ITEMS,
    critical_level,
    fmt_age,
    make_finding,
    strength,
    truncate,
)
from functions._platform.domains.database.analyzers.snapshot import BlockingEdge, DatabaseSnapshot
from sreo_events.models import Finding

MAX_CHAINS = 3


def _chain(root: int, waiters_of: dict[int, set[int]]) -> tuple[list[int], int]:
    """Every pid waiting on `root`, directly or transitively, and the chain's depth."""
    seen: list[int] = []
    frontier, depth = [root], 0
    while frontier:
        nxt = sorted({w for pid in frontier for w in waiters_of.get(pid, ()) if w not in seen and w != root})
        if not nxt:
            break
        seen += nxt
        frontier, depth = nxt, depth + 1
    return seen, depth


def _describe_blocker(edge: BlockingEdge) -> dict:
    if edge.blocker_pid == 0:
        return {"pid": 0, "note": "a prepared transaction (see pg_prepared_xacts)"}
    return {"pid": edge.blocker_pid, "user": edge.blocker_user, "application": edge.blocker_application or None,
            "client_addr": edge.blocker_client_addr, "state": edge.blocker_state,
            "xact_age_s": _r(edge.blocker_xact_age_s), "state_age_s": _r(edge.blocker_state_age_s),
            "query": truncate(edge.blocker_query)}


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


LOCK_CONTENTION = FindingKind(
    name="lock_contention", domain="database",
    actions=(
        action("terminate-blocker", "Terminate the blocking session (pid {blocker_pid}) on {subject}",
               "SELECT pg_terminate_backend({blocker_pid});", "high", True, "blocker_pid"),
        action("blocker-code-path", "Find the code path that holds the lock (pid {blocker_pid}): {blocker_query}",
               None, "low", False, "blocker_pid"),
    ),
    runbook_alerts=("PostgresLockContention",),
)


class LockContentionAnalyzer:
    kind = "lock_contention"
    kinds = (LOCK_CONTENTION,)
    scopes = frozenset({"snapshot"})

    def analyze(self, data: DatabaseSnapshot, context: AnalysisContext) -> list[Finding]:
        t = context.scope.thresholds
        edges = data.blocking
        if not edges or max((e.waiting_s or 0) for e in edges) < t.lock_wait_s:
            return []
        waiters_of: dict[int, set[int]] = defaultdict(set)
        waiting_rows: dict[int, BlockingEdge] = {}
        blocker_rows: dict[int, BlockingEdge] = {}
        for edge in edges:
            waiters_of[edge.blocker_pid].add(edge.waiting_pid)
            waiting_rows.setdefault(edge.waiting_pid, edge)
            blocker_rows.setdefault(edge.blocker_pid, edge)
        roots = [pid for pid in blocker_rows if pid not in waiting_rows] or sorted(blocker_rows)[:1]
        chains = []
        for root in roots:
            waiters, depth = _chain(root, waiters_of)
            longest = max((waiting_rows[w].waiting_s or 0) for w in waiters) if waiters else 0
            if waiters and longest >= t.lock_wait_s:
                chains.append((len(waiters), longest, root, waiters, depth))
        chains.sort(key=lambda c: (-c[0], -c[1], c[2]))
        return [self._finding(data, context, *chain) for chain in chains[:MAX_CHAINS]]

    def _finding(self, data: DatabaseSnapshot, context: AnalysisContext, count: int, longest: float,
                 root: int, waiters: list[int], depth: int) -> Finding:
        t = context.scope.thresholds
        blocker_edge = next(e for e in data.blocking if e.blocker_pid == root)
        blocker = _describe_blocker(blocker_edge)
        rows = {e.waiting_pid: e for e in data.blocking}
        waiting = sorted((rows[w] for w in waiters), key=lambda e: -(e.waiting_s or 0))
        critical_wait = critical_level(t.lock_wait_s, context)
        critical = count >= t.lock_waiters_critical or longest >= critical_wait
        who = blocker_edge.blocker_application or blocker_edge.blocker_user or "?"
        summary = (f"{data.target}: pid {root} ({who}, {blocker_edge.blocker_state or 'unknown state'}, "
                   f"transaction open {fmt_age(blocker_edge.blocker_xact_age_s)}) blocks {count} session(s), "
                   f"longest wait {fmt_age(longest)}; blocker's last query: {truncate(blocker_edge.blocker_query, 120)}")
        onsets = [e.waiting_since for e in waiting if e.waiting_since is not None]
        evidence = {
            "blocker": blocker, "waiting_count": count, "chain_depth": depth,
            "longest_wait_s": round(longest, 1), "waiting_pids": waiters[:20],
            "waiting": [{"pid": e.waiting_pid, "user": e.waiting_user,
                         "application": e.waiting_application or None, "waiting_s": _r(e.waiting_s),
                         "waiting_for": e.waiting_for, "blocked_by": e.blocker_pid,
                         "query": truncate(e.waiting_query)} for e in waiting[:EVIDENCE_ITEMS]],
        }
        score = max(strength(longest, t.lock_wait_s, critical_wait),
                    strength(count, 1, t.lock_waiters_critical))
        return make_finding(self.kind, data.target, "critical" if critical else "warning", score, summary,
                            context, evidence, data.query_for("blocking"),
                            onset=min(onsets) if onsets else None)
