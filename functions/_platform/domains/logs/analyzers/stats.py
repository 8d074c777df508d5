"""Small robust statistics for counts: Poisson tails and median/MAD baselines."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def poisson_sf(observed: int, expected: float) -> float:
    """P(X >= observed) for X ~ Poisson(expected)."""
    if observed <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    term = math.exp(-expected)
    below = term
    for i in range(1, observed):
        term *= expected / i
        below += term
        if term < 1e-300 and i > expected:
            break
    return max(0.0, min(1.0, 1.0 - below)) if below < 0.999999 else _upper_tail(observed, expected)


def _upper_tail(observed: int, expected: float) -> float:
    """Direct sum of the upper tail, for when 1 - cdf loses precision."""
    log_term = -expected + observed * math.log(expected) - math.lgamma(observed + 1)
    total = 0.0
    i = observed
    while True:
        term = math.exp(log_term)
        total += term
        if term < total * 1e-12 or i > observed + 10_000:
            return min(1.0, total)
        i += 1
        log_term += math.log(expected / i)


def smoothed_rate(events: int, exposure: float, prior_events: float = 0.5, prior_exposure: float = 1.0) -> float:
    """events/exposure pulled toward a weak prior, so an empty baseline is not a rate of exactly zero."""
    return (events + prior_events) / (exposure + prior_exposure)


def median(values: Sequence[float]) -> float:
    """0.0 for no values."""
    return statistics.median(values) if values else 0.0


def mad(values: Sequence[float]) -> float:
    """Median absolute deviation, scaled to a standard deviation for normal data."""
    centre = median(values)
    return 1.4826 * median([abs(v - centre) for v in values])


def surprise_score(p_value: float, effect: float) -> float:
    """0..1 from how unlikely the count is under the baseline and how large the change is (effect in 0..1)."""
    significance = min(1.0, -math.log10(max(p_value, 1e-300)) / 12)
    return round(min(1.0, 0.5 * significance + 0.5 * max(0.0, min(effect, 1.0))), 3)
