"""Has a timing or failure series of calls moved from its baseline, and since when."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

MIN_CALLS = 5  # in the baseline and in the window, per edge or service
MIN_RUN = 3  # calls from the onset on


@dataclass(frozen=True)
class TracesScope:
    latency_factor: float = 1.5  # degraded at >= this x the baseline median ...
    latency_min_delta_s: float = 0.02  # ... and at least this much above it
    error_min_ratio_delta: float = 0.05  # failing calls' share up by >= this ...
    error_min_count: int = 3  # ... with at least this many failures since the onset


@dataclass(frozen=True)
class Shift:
    baseline: float
    window: float  # median from the onset (or over the window when not degraded) to the window's end
    onset: float | None  # None: not degraded


def latency_shift(baseline: list[float], window: list[tuple[float, float]], scope: TracesScope,
                  since: float | None = None) -> Shift | None:
    """Baseline median against the median from the first call at or above the threshold (or `since`) on, kept
    there to the window's end; None with fewer than MIN_CALLS on either side."""
    if len(baseline) < MIN_CALLS or len(window) < MIN_CALLS:
        return None
    base = statistics.median(baseline)
    floor = max(base * scope.latency_factor, base + scope.latency_min_delta_s)
    onset = next((t for t, value in window if value >= floor
                  and statistics.median([v for u, v in window if u >= t]) >= floor
                  and sum(u >= t for u, _ in window) >= MIN_RUN), None)
    start = since if since is not None else onset
    after = [v for t, v in window if start is None or t >= start] or [window[-1][1]]
    value = statistics.median(after)
    return Shift(base, value, onset if onset is not None and value >= floor else None)


def failure_shift(baseline: list[bool], window: list[tuple[float, bool]], scope: TracesScope) -> Shift | None:
    """Share of failing calls, baseline against from the first failure of a sustained rise on."""
    if len(baseline) < MIN_CALLS or len(window) < MIN_CALLS:
        return None
    base = sum(baseline) / len(baseline)
    floor = max(base + scope.error_min_ratio_delta, 2 * base)
    for t, failed in window:
        if not failed:
            continue
        after = [f for u, f in window if u >= t]
        if sum(after) >= scope.error_min_count and sum(after) / len(after) >= floor:
            return Shift(base, sum(after) / len(after), t)
    return Shift(base, sum(f for _, f in window) / len(window), None)


def factor(shift: Shift) -> float:
    return shift.window / shift.baseline if shift.baseline > 0 else float("inf")
