"""Has a timing or failure series of calls moved from its baseline, and since when."""

from __future__ import annotations

import math
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


def change_point(flags: list[bool], candidates: list[int]) -> int | None:
    """Of the candidate onsets (indices into the time-ordered `flags`), the one that best splits the series into
    two stretches of steady flagged shares, before and from it (the split of highest Bernoulli likelihood; the
    earliest on a tie). A stray flagged call some time before the change then does not pull the onset back to
    it, as the first qualifying call would, and a change under way for long is dated where it began."""
    size, total = len(flags), sum(flags)
    best, best_fit, before = None, -math.inf, 0
    wanted = set(candidates)
    for index in range(size):
        if index in wanted:
            fit = _fit(before, index) + _fit(total - before, size - index)
            if fit > best_fit + 1e-9:
                best, best_fit = index, fit
        before += flags[index]
    return best


def _fit(flagged: int, count: int) -> float:
    """Log-likelihood of `flagged` of `count` calls at their own share."""
    if count == 0 or flagged in (0, count):
        return 0.0
    share = flagged / count
    return flagged * math.log(share) + (count - flagged) * math.log(1 - share)


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


def latency_shift(baseline: list[tuple[float, float]], window: list[tuple[float, float]], scope: TracesScope,
                  since: float | None = None) -> Shift | None:
    """Baseline median against the median from the onset on; None with fewer than MIN_CALLS on either side.
    A call can start the degradation when it is at or above the threshold, the median from it to the window's
    end stays there and at least MIN_RUN calls follow; of those the onset is the change point. A degradation
    the window shows is dated over the baseline and the window together: one already under way before the
    window starts is dated where it began, not at the window's first call."""
    if len(baseline) < MIN_CALLS or len(window) < MIN_CALLS:
        return None
    base = statistics.median(v for _, v in baseline)
    floor = max(base * scope.latency_factor, base + scope.latency_min_delta_s)
    window = sorted(window)
    onset = _latency_onset(window, floor)
    if onset is not None:
        onset = _latency_onset(sorted(baseline + window), floor)
    start = since if since is not None else onset
    after = [v for t, v in window if start is None or t >= start] or [window[-1][1]]
    value = statistics.median(after)
    return Shift(base, value, onset if onset is not None and value >= floor else None)


def _latency_onset(series: list[tuple[float, float]], floor: float) -> float | None:
    high = _suffix_counts([value >= floor for _, value in series])
    candidates = [i for i, (_, value) in enumerate(series) if value >= floor and len(series) - i >= MIN_RUN
                  and _median_reaches(series, i, high[i], floor)]
    found = change_point([value >= floor for _, value in series], candidates)
    return series[found][0] if found is not None else None


def failure_shift(baseline: list[tuple[float, bool]], window: list[tuple[float, bool]], scope: TracesScope
                  ) -> Shift | None:
    """Share of failing calls, baseline against from the onset of a sustained rise on: a failure from which on
    at least `error_min_count` calls fail at or above the floor share; of those the onset is the change point,
    dated over the baseline and the window together as for latency."""
    if len(baseline) < MIN_CALLS or len(window) < MIN_CALLS:
        return None
    base = sum(f for _, f in baseline) / len(baseline)
    floor = max(base + scope.error_min_ratio_delta, 2 * base)
    window = sorted(window)
    if _failure_onset(window, floor, scope) is None:
        return Shift(base, sum(f for _, f in window) / len(window), None)
    onset = _failure_onset(sorted(baseline + window), floor, scope)
    after = [f for t, f in window if t >= onset] if onset is not None else []
    after = after or [f for _, f in window]
    return Shift(base, sum(after) / len(after), onset)


def _failure_onset(series: list[tuple[float, bool]], floor: float, scope: TracesScope) -> float | None:
    failing = _suffix_counts([failed for _, failed in series])
    candidates = [i for i, (_, failed) in enumerate(series) if failed and failing[i] >= scope.error_min_count
                  and failing[i] / (len(series) - i) >= floor]
    found = change_point([failed for _, failed in series], candidates)
    return series[found][0] if found is not None else None


def factor(shift: Shift) -> float:
    return shift.window / shift.baseline if shift.baseline > 0 else float("inf")
