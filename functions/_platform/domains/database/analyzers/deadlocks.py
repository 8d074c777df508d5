"""deadlocks: new deadlocks (pg_stat_database.deadlocks) compared with the long-run rate.

The counter is cumulative since `stats_reset`. With an earlier sample taken at or before the incident
window the analyzer measures deadlocks since then and compares that rate with the rate before it: it
reports when the rate is `deadlock_rate_factor` times the baseline rate and the count is unlikely
(Poisson tail below `deadlock_p_value`) at the baseline rate.
Without one it can only report the absolute count since the reset, as low-confidence `info`.
"""

from __future__ import annotations

import math

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.database.analyzers.grading import make_finding
from functions._platform.domains.database.analyzers.snapshot import CounterSample, DatabaseSnapshot
from sreo_events.models import Finding, TimeWindow


def _comparable(current: CounterSample, history: list[CounterSample]) -> list[CounterSample]:
    """Earlier samples of the same statistics epoch, oldest first."""
    return sorted((s for s in history
                         if s.deadlocks is not None and s.stats_reset == current.stats_reset
                         and s.observed_at < current.observed_at and s.deadlocks <= (current.deadlocks or 0)),
                  key=lambda s: s.observed_at)


def _reference(comparable: list[CounterSample], context: AnalysisContext) -> CounterSample | None:
    """Last sample at or before the window start, else the earliest one."""
    before = [s for s in comparable if s.observed_at <= context.window.start]
    return before[-1] if before else (comparable[0] if comparable else None)


def poisson_tail(count: int, expected: float) -> float:
    """P(X >= count) for X ~ Poisson(expected)."""
    if expected <= 0:
        return 0.0 if count > 0 else 1.0
    term = below = math.exp(-expected)
    for k in range(1, count):
        term *= expected / k
        below += term
    return max(0.0, 1.0 - below)


DEADLOCKS = FindingKind(
    name="deadlocks", domain="database",
    actions=(
        action("deadlock-order", "Read the deadlock reports in {subject}'s server log; make writers lock rows in "
               "one order", None, "low"),
    ),
)


def _since_reset(data: DatabaseSnapshot, current: CounterSample, context: AnalysisContext) -> list[Finding]:
    """Without an earlier sample: the count since the statistics reset, as low-confidence info."""
    if current.deadlocks < context.scope.thresholds.deadlocks_min:
        return []
    since = current.stats_reset
    summary = (f"{data.target}: {current.deadlocks} deadlock(s) since statistics were reset"
               f"{f' at {since:%Y-%m-%d %H:%M}' if since else ''}; no earlier sample to tell when")
    return [make_finding(DeadlocksAnalyzer.kind, data.target, "info", 0.2, summary, context,
                         {"deadlocks_total": current.deadlocks,
                          "stats_reset": since.isoformat() if since else None, "compared": False},
                         data.query_for("database_stats"))]


def _baseline_count(current: CounterSample, comparable: list[CounterSample], ref: CounterSample):
    """Where the baseline starts and how many deadlocks it saw up to the reference sample."""
    if current.stats_reset is not None:
        return current.stats_reset, ref.deadlocks or 0
    return comparable[0].observed_at, (ref.deadlocks or 0) - (comparable[0].deadlocks or 0)


class DeadlocksAnalyzer:
    kind = "deadlocks"
    kinds = (DEADLOCKS,)
    scopes = frozenset({"snapshot"})

    def analyze(self, data: DatabaseSnapshot, context: AnalysisContext) -> list[Finding]:
        current = data.database_stats
        t = context.scope.thresholds
        if current is None or current.deadlocks is None:
            return []
        comparable = _comparable(current, data.counter_history)
        ref = _reference(comparable, context)
        if ref is None:
            return _since_reset(data, current, context)
        new = current.deadlocks - (ref.deadlocks or 0)
        if new < t.deadlocks_min:
            return []
        hours = max((current.observed_at - ref.observed_at).total_seconds() / 3600, 1e-6)
        rate = new / hours
        base_start, base_count = _baseline_count(current, comparable, ref)
        base_hours = (ref.observed_at - base_start).total_seconds() / 3600
        base_rate = base_count / base_hours if base_hours > 0 else 0.0
        p_value = poisson_tail(new, base_rate * hours)
        if base_rate > 0 and (rate < t.deadlock_rate_factor * base_rate or p_value >= t.deadlock_p_value):
            return []
        return [self._finding(data, context, current, ref, new, rate, base_rate, p_value,
                              TimeWindow(start=base_start, end=ref.observed_at) if base_hours > 0
                              else context.baseline)]

    def _finding(self, data: DatabaseSnapshot, context: AnalysisContext, current: CounterSample,
                 ref: CounterSample, new: int, rate: float, base_rate: float, p_value: float,
                 baseline: TimeWindow) -> Finding:
        summary = (f"{data.target}: {new} new deadlock(s) since {ref.observed_at:%H:%M:%S} "
                   f"({rate:.1f}/h against {base_rate:.2f}/h before)")
        evidence = {"new_deadlocks": new, "deadlocks_total": current.deadlocks, "rate_per_h": round(rate, 2),
                    "baseline_rate_per_h": round(base_rate, 3), "compared": True,
                    "p_value": round(p_value, 6),
                    "reference_sample_at": ref.observed_at.isoformat()}
        severity = "critical" if new >= 5 * context.scope.thresholds.deadlocks_min else "warning"
        score = 0.9 if severity == "critical" else 0.6
        return make_finding(self.kind, data.target, severity, score, summary, context, evidence,
                            data.query_for("database_stats"),
                            window=TimeWindow(start=ref.observed_at, end=current.observed_at), baseline=baseline)
