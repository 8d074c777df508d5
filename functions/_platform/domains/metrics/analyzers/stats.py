"""Small robust statistics and counter arithmetic over step-aligned series (no numpy needed)."""

from __future__ import annotations

import itertools
import math
import statistics
from collections import defaultdict

from functions._platform.domains.metrics.source.models import Series

Points = list[tuple[float, float]]
RATE_SCRAPES = 4  # a rate spans at least this many scrape intervals (the usual advice for PromQL's rate window)


def median(values: list[float]) -> float:
    """NaN for no values."""
    return statistics.median(values) if values else math.nan


def mad(values: list[float]) -> float:
    centre = median(values)
    return median([abs(v - centre) for v in values])


def robust_z(value: float, reference: list[float], min_sigma: float) -> float:
    """(value - median) / (1.4826 * MAD), the spread floored at `min_sigma`."""
    sigma = max(1.4826 * mad(reference), min_sigma)
    return (value - median(reference)) / sigma


def theil_sen(points: Points, max_points: int = 240) -> tuple[float, float, float]:
    """Median pairwise slope, its intercept, and the share of rising pairs (1 = always up, 0.5 = no trend)."""
    if len(points) > max_points:
        stride = len(points) / max_points
        points = [points[int(i * stride)] for i in range(max_points)]
    slopes = []
    for i in range(len(points)):
        t1, v1 = points[i]
        for t2, v2 in points[i + 1:]:
            if t2 != t1:
                slopes.append((v2 - v1) / (t2 - t1))
    if not slopes:
        return 0.0, median([v for _, v in points]), 0.5
    slope = median(slopes)
    intercept = median([v - slope * t for t, v in points])
    rising = sum(1 for s in slopes if s > 0) + 0.5 * sum(1 for s in slopes if s == 0)
    return slope, intercept, rising / len(slopes)


def increases(series: Series) -> Points:
    """Per-step increase of a counter, counting a drop as a reset (like Prometheus' increase())."""
    result = []
    for (_, previous), (t, value) in zip(series.points, series.points[1:]):
        result.append((t, value - previous if value >= previous else value))
    return result


def sum_by_time(many: list[Points]) -> dict[float, float]:
    total: dict[float, float] = defaultdict(float)
    for points in many:
        for t, v in points:
            total[t] += v
    return dict(sorted(total.items()))


def rolling_sum(values: dict[float, float], width_s: float) -> dict[float, float]:
    """At each time, the sum over the trailing `width_s` (inclusive of the current step)."""
    times = list(values)
    result, start, running = {}, 0, 0.0
    for t in times:
        running += values[t]
        while times[start] <= t - width_s:
            running -= values[times[start]]
            start += 1
        result[t] = running
    return result


def histogram_quantile(quantile: float, buckets: dict[float, float]) -> float | None:
    """Prometheus' histogram_quantile over cumulative counts keyed by upper bound (`+Inf` included)."""
    if not buckets or math.inf not in buckets:
        return None
    bounds = sorted(buckets)
    total = buckets[math.inf]
    if total <= 0:
        return None
    rank = quantile * total
    lower_bound, lower_count = 0.0, 0.0
    for bound in bounds:
        count = buckets[bound]
        if count >= rank:
            if bound == math.inf:
                return bounds[-2] if len(bounds) > 1 else None
            if count == lower_count:
                return bound
            return lower_bound + (bound - lower_bound) * (rank - lower_count) / (count - lower_count)
        lower_bound, lower_count = bound, count
    return None


def split(points: Points | dict[float, float], start: float, end: float) -> Points:
    items = points.items() if isinstance(points, dict) else points
    return [(t, v) for t, v in items if start <= t < end]


def scrape_interval(points: Points) -> float | None:
    """The typical spacing of a series' own samples: the median gap between value changes (a range query at a
    finer step repeats the last sample, so repeats are not samples). None with fewer than two changes."""
    changes = [t for (_, previous), (t, value) in itertools.pairwise(points) if value != previous]
    gaps = [b - a for a, b in itertools.pairwise(changes) if b > a]
    return statistics.median(gaps) if gaps else None


def windowed_rate(points: Points, width_s: float) -> Points:
    """Per-second rate of a counter over a trailing window of `width_s`, like PromQL's `rate(x[width])`: the
    counter's increase (resets counted as restarts from 0) between the window's first and last sample, divided by
    the time they span. Points whose window holds fewer than two samples are left out."""
    cumulative, total = [], 0.0
    for index, (t, value) in enumerate(points):
        if index:
            previous = points[index - 1][1]
            total += value - previous if value >= previous else value
        cumulative.append((t, total))
    result, first = [], 0
    for t, total_now in cumulative:
        while cumulative[first][0] < t - width_s:
            first += 1
        t0, total_then = cumulative[first]
        if t > t0:
            result.append((t, (total_now - total_then) / (t - t0)))
    return result
