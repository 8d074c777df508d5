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


def change_point(window: list[tuple[float, bool]], rate: float, candidates: list[int]) -> int | None:
    """Of the candidate onsets (indices into the time-ordered `window`), the one after which the flagged calls
    most exceed `rate` per call (a CUSUM change point; the earliest on a tie). A stray flagged call some time
    before the change then does not pull the onset back to it, as the first qualifying call would."""
    wanted, best, best_excess, excess = set(candidates), None, 0.0, 0.0
    for index in range(len(window) - 1, -1, -1):
        excess += window[index][1] - rate
        if index in wanted and (best is None or excess >= best_excess):
            best, best_excess = index, excess
    return best


def _suffix_counts(flags: list[bool]) -> list[int]:
    """How many of flags[i:] are set, for every i."""
    counts, total = [0] * len(flags), 0
    for index in range(len(flags) - 1, -1, -1):
        total += flags[index]
        counts[index] = total
    return counts


def _median_reaches(window: list[tuple[float, float]], index: int, high: int, floor: float) -> bool:
    """Whether the median of the values from `index` on is at or above `floor`, `high` of them being so: decided
    by the count unless exactly half are (then the two middle values decide)."""
    size = len(window) - index
    if 2 * high != size:
        return 2 * high > size
    return statistics.median(v for _, v in window[index:]) >= floor


def latency_shift(baseline: list[float], window: list[tuple[float, float]], scope: TracesScope,
                  since: float | None = None) -> Shift | None:
    """Baseline median against the median from the onset on; None with fewer than MIN_CALLS on either side.
    A call can start the degradation when it is at or above the threshold, the median from it to the window's
    end stays there and at least MIN_RUN calls follow; of those the onset is the change point."""
    if len(baseline) < MIN_CALLS or len(window) < MIN_CALLS:
        return None
    window = sorted(window)
    base = statistics.median(baseline)
    floor = max(base * scope.latency_factor, base + scope.latency_min_delta_s)
    high = _suffix_counts([value >= floor for _, value in window])
    candidates = [i for i, (_, value) in enumerate(window) if value >= floor and len(window) - i >= MIN_RUN
                  and _median_reaches(window, i, high[i], floor)]
    found = change_point([(t, value >= floor) for t, value in window], 0.5, candidates)
    onset = window[found][0] if found is not None else None
    start = since if since is not None else onset
    after = [v for t, v in window if start is None or t >= start] or [window[-1][1]]
    value = statistics.median(after)
    return Shift(base, value, onset if onset is not None and value >= floor else None)


def failure_shift(baseline: list[bool], window: list[tuple[float, bool]], scope: TracesScope) -> Shift | None:
    """Share of failing calls, baseline against from the onset of a sustained rise on: a failure from which on
    at least `error_min_count` calls fail at or above the floor share; of those the onset is the change point."""
    if len(baseline) < MIN_CALLS or len(window) < MIN_CALLS:
        return None
    window = sorted(window)
    base = sum(baseline) / len(baseline)
    floor = max(base + scope.error_min_ratio_delta, 2 * base)
    failing = _suffix_counts([failed for _, failed in window])
    candidates = [i for i, (_, failed) in enumerate(window) if failed and failing[i] >= scope.error_min_count
                  and failing[i] / (len(window) - i) >= floor]
    found = change_point(window, floor, candidates)
    if found is None:
        return Shift(base, sum(f for _, f in window) / len(window), None)
    after = [f for _, f in window[found:]]
    return Shift(base, sum(after) / len(after), window[found][0])


def factor(shift: Shift) -> float:
    return shift.window / shift.baseline if shift.baseline > 0 else float("inf")
