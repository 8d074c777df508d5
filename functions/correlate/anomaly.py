"""Robust, scale-free change detection on one metric series (pure, standard library only).

The magnitude follows BARO's robust scaling: the incident window is measured in units of the
baseline's spread (IQR, falling back to scaled MAD), so CPU millicores, bytes and success
percentages become comparable numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from statistics import median

ONSET_THRESHOLD = 3.0
"""Robust z at which a point counts as anomalous: the usual three-sigma rule in MAD units."""

RELATIVE_SCALE_FLOOR = 0.01
"""A flat baseline has no spread; treat 1 % of the series' level as its smallest meaningful change."""

MAD_TO_SIGMA = 1.4826
IQR_TO_SIGMA = 1.349


def _finite(values: Sequence[float]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def _quantile(sorted_values: list[float], q: float) -> float:
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = math.ceil(position)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def robust_location_scale(baseline: Sequence[float], level_hint: float = 0.0) -> tuple[float, float] | None:
    """Median and a sigma-equivalent spread of ``baseline``; None when it has no finite values.

    The spread is the larger of IQR/1.349 and 1.4826*MAD, floored at a small fraction of the level
    (the baseline median, or ``level_hint`` when the baseline sits at zero) so that a flat series
    does not turn every small wobble into an infinite score.
    """
    clean = sorted(_finite(baseline))
    if not clean:
        return None
    centre = median(clean)
    iqr = _quantile(clean, 0.75) - _quantile(clean, 0.25)
    mad = median(abs(v - centre) for v in clean)
    level = max(abs(centre), abs(level_hint))
    floor = RELATIVE_SCALE_FLOOR * level if level > 0 else 1.0
    return centre, max(iqr / IQR_TO_SIGMA, MAD_TO_SIGMA * mad, floor)


def robust_scores(baseline: Sequence[float], values: Sequence[float]) -> list[float]:
    """Absolute robust z of each of ``values`` against ``baseline`` (NaN where a value is missing)."""
    window = _finite(values)
    hint = median(abs(v) for v in window) if window else 0.0
    fitted = robust_location_scale(baseline, level_hint=hint)
    if fitted is None:
        return [math.nan for _ in values]
    centre, scale = fitted
    scores = []
    for value in values:
        if value is None or not math.isfinite(float(value)):
            scores.append(math.nan)
        else:
            scores.append(abs(float(value) - centre) / scale)
    return scores


def series_anomaly(baseline: Sequence[float], window: Sequence[float], statistic: str = "median") -> float:
    """BARO-style change magnitude of ``window`` against ``baseline``, in robust z units (>= 0).

    ``statistic="median"`` (default) scores the sustained change: the median robust z over the window,
    which ignores a single-sample blip such as a latency quantile hopping one histogram bucket.
    ``statistic="max"`` is BARO's original peak score, for long clean baselines. Returns 0.0 when
    either side has no finite values.
    """
    if statistic not in ("median", "max"):
        raise ValueError(f"unknown statistic {statistic!r}; use 'median' or 'max'")
    if not _finite(window):
        return 0.0
    finite_scores = [s for s in robust_scores(baseline, window) if not math.isnan(s)]
    if not finite_scores:
        return 0.0
    return max(finite_scores) if statistic == "max" else median(finite_scores)


def series_onset(
    times: Sequence[datetime], values: Sequence[float], baseline_end: datetime
) -> datetime | None:
    """First time at or after ``baseline_end`` whose robust z (against earlier points) passes the threshold."""
    pairs = sorted(zip(times, values, strict=True), key=lambda pair: pair[0])
    baseline = [v for t, v in pairs if t < baseline_end]
    later = [(t, v) for t, v in pairs if t >= baseline_end]
    if not baseline or not later:
        return None
    scores = robust_scores(baseline, [v for _, v in later])
    for (moment, _), score in zip(later, scores, strict=True):
        if not math.isnan(score) and score >= ONSET_THRESHOLD:
            return moment
    return None
