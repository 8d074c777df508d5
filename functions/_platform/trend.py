"""Linear trend of a utilisation series and when it reaches capacity, with a confidence interval.

OLS of u(t) = a + b t. The interval is where the 95% confidence band of the fitted mean crosses capacity
(inverse regression): the earliest date is where the upper band reaches it, the latest where the lower band
does (None when the lower band never gets there within the horizon). Scrape samples are autocorrelated, so the
standard error uses an effective sample size n (1 - r) / (1 + r) from the lag-1 autocorrelation r of the
residuals; without it the interval is too narrow and misses the truth far more often than 5%.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

Z95 = 1.959964


def t_quantile(dof: float) -> float:
    """Two-sided 95% Student t critical value (Cornish-Fisher expansion around the normal; good for dof >= 3)."""
    z, v = Z95, max(dof, 3.0)
    return z + (z**3 + z) / (4 * v) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)


@dataclass(frozen=True)
class Trend:
    intercept: float  # at t_mean
    slope: float  # per second
    t_mean: float
    sxx: float
    sigma: float  # residual standard deviation
    n: int
    n_eff: float
    r_squared: float

    def at(self, t: float) -> float:
        return self.intercept + self.slope * (t - self.t_mean)

    def half_width(self, t: float) -> float:
        """Half-width of the 95% confidence band of the mean at t, with the effective sample size."""
        inflate = self.n / self.n_eff
        se = self.sigma * math.sqrt(inflate * (1 / self.n + (t - self.t_mean) ** 2 / self.sxx))
        return t_quantile(self.n_eff - 2) * se


def fit(points: list[tuple[float, float]], autocorrelation: bool = True) -> Trend | None:
    points = [(t, v) for t, v in points if math.isfinite(v)]
    n = len(points)
    if n < 6:
        return None
    t_mean = sum(t for t, _ in points) / n
    v_mean = sum(v for _, v in points) / n
    sxx = sum((t - t_mean) ** 2 for t, _ in points)
    if sxx <= 0:
        return None
    slope = sum((t - t_mean) * (v - v_mean) for t, v in points) / sxx
    residuals = [v - (v_mean + slope * (t - t_mean)) for t, v in points]
    sse = sum(r * r for r in residuals)
    sst = sum((v - v_mean) ** 2 for _, v in points)
    sigma = math.sqrt(sse / (n - 2))
    lag = sum(a * b for a, b in itertools.pairwise(residuals))
    rho = max(0.0, min(0.95, lag / sse)) if sse > 0 and autocorrelation else 0.0
    n_eff = max(3.0, n * (1 - rho) / (1 + rho))
    return Trend(v_mean, slope, t_mean, sxx, sigma, n, n_eff, 1 - sse / sst if sst > 0 else 0.0)


def _first_crossing(f, start: float, end: float, steps: int = 400) -> float | None:
    """First t in [start, end] where f(t) >= 0, by a coarse scan then bisection."""
    if f(start) >= 0:
        return start
    previous = start
    for i in range(1, steps + 1):
        t = start + (end - start) * i / steps
        if f(t) >= 0:
            low, high = previous, t
            for _ in range(50):
                middle = (low + high) / 2
                low, high = (low, middle) if f(middle) >= 0 else (middle, high)
            return high
        previous = t
    return None


@dataclass(frozen=True)
class Exhaustion:
    current: float  # fitted utilisation at the last sample
    slope_per_day: float
    at: float | None  # when the fitted trend reaches capacity (unix seconds); None beyond the horizon
    earliest: float | None  # 95% interval of that date
    latest: float | None  # None: the lower band does not reach capacity within the horizon
    r_squared: float
    samples: int


def exhaustion(points: list[tuple[float, float]], capacity: float = 1.0, horizon_s: float = 90 * 86400,
               autocorrelation: bool = True) -> Exhaustion | None:
    """When a rising utilisation series reaches `capacity`, or None when it has no upward trend."""
    trend = fit(points, autocorrelation)
    if trend is None or trend.slope <= 0:
        return None
    last = max(t for t, _ in points)
    end = last + horizon_s
    at = _first_crossing(lambda t: trend.at(t) - capacity, last, end)
    earliest = _first_crossing(lambda t: trend.at(t) + trend.half_width(t) - capacity, last, end)
    latest = _first_crossing(lambda t: trend.at(t) - trend.half_width(t) - capacity, last, end)
    return Exhaustion(current=trend.at(last), slope_per_day=trend.slope * 86400, at=at, earliest=earliest,
                      latest=latest, r_squared=trend.r_squared, samples=trend.n)
