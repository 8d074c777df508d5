"""latency_creep: latency rising steadily in the incident window; projects when it breaches the SLO.

The trend is a Theil-Sen fit (median of pairwise slopes), robust to outliers. The threshold is the service's
SLO from the mapping, else `latency_breach_factor` x the baseline median.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.analyzers.series_evidence import series_evidence
from functions._platform.domains.metrics.analyzers.selectors import service_selector
from functions._platform.domains.metrics.analyzers.signals import (
    MetricsData,
    clamp,
    iso,
    service_signal,
)
from functions._platform.domains.metrics.analyzers.stats import (
    histogram_quantile,
    increases,
    median,
    rolling_sum,
    split,
    sum_by_time,
    theil_sen,
)
from functions._platform.domains.metrics.source.models import Series
from sreo_events.models import Finding

LATENCY_CREEP = FindingKind(
    name="latency_creep", domain="metrics",
    actions=(
        action("scale-or-find-slow", "Scale {subject} out or find the slow dependency before the SLO breaches", None,
               "low"),
    ),
    mitigation=("Look for saturation or slow dependencies; scale out or roll back before the SLO burns.",
                "Latency crosses the SLO threshold if the trend continues."),
    runbook_alerts=("LatencySLOBurn",),
)


class LatencyCreep:
    kind = "latency_creep"
    kinds = (LATENCY_CREEP,)
    scopes = frozenset({"service"})
    healthy_text = "latency has no upward trend toward its threshold"

    def signals(self, context: AnalysisContext) -> dict[str, str]:
        mapping = context.scope.mapping
        return {"latency": service_selector(mapping.latency_metric, context.scope.service_label, context.scope.service or "")}

    def analyze(self, data: MetricsData, context: AnalysisContext) -> list[Finding]:
        signal = service_signal(data, "latency", context)
        if signal is None:
            return []
        creep = _creep(latency_points(signal.series, context), context)
        if creep is None:
            return []
        return [self._finding(creep, context, signal.query)]

    def _finding(self, creep: _Creep, context: AnalysisContext, query: str) -> Finding:
        mapping, limits = context.scope.mapping, context.scope.mapping.thresholds
        window, base, current, slope_s = creep.window, creep.base, creep.current, creep.slope_s
        hours_to_breach, threshold, slo = creep.hours_to_breach, creep.threshold, creep.slo
        breach_at = iso(window[-1][0] + hours_to_breach * 3600)
        urgent = hours_to_breach <= 1.0
        onset = next((t for t, v in window if v > base * (1 + limits.latency_min_rise)), window[0][0])
        label = f"p{mapping.latency_quantile * 100:g}" if mapping.latency_kind == "histogram" else "latency"
        when = "has breached" if hours_to_breach == 0 else f"breaches in {hours_to_breach:.1f} h"
        return Finding(
            kind=self.kind, subject=context.scope.service,
            severity="critical" if urgent else "warning",
            score=round(clamp(0.5 + 0.5 * (1 - hours_to_breach / limits.latency_horizon_h) * creep.agreement), 3),
            summary=(f"{context.scope.service} {label} latency rises {slope_s * 3600 * 1000:.0f} ms/h "
                     f"(now {current * 1000:.0f} ms, baseline {base * 1000:.0f} ms) and {when} "
                     f"the {threshold * 1000:.0f} ms {'SLO' if slo is not None else 'threshold'}"),
            window=context.window, baseline=context.baseline, onset=iso(onset),
            evidence={
                "quantile": mapping.latency_quantile if mapping.latency_kind == "histogram" else None,
                "slope_seconds_per_hour": round(slope_s * 3600, 6), "current_seconds": round(current, 6),
                "baseline_median_seconds": round(base, 6), "threshold_seconds": threshold,
                "threshold_source": "slo" if slo is not None else f"baseline x {limits.latency_breach_factor:g}",
                "hours_to_breach": round(hours_to_breach, 3), "projected_breach_at": breach_at.isoformat(),
                "trend_agreement": round(creep.agreement, 3), "window_points": len(window),
                "window_end": iso(context.window_s[1]).isoformat(),
                **series_evidence(creep.history, creep.baseline_values),
            },
            query=query,
        )


@dataclass(frozen=True)
class _Creep:
    """A rising latency trend that reaches its threshold within the horizon."""
    window: list[tuple[float, float]]
    base: float  # baseline median
    slope_s: float  # seconds of latency per second
    current: float  # fitted latency at the window's last point
    agreement: float
    slo: float | None
    threshold: float
    hours_to_breach: float
    history: list[tuple[float, float]]  # baseline and window points, for the chart
    baseline_values: list[float]


def _creep(latency: dict[float, float], context: AnalysisContext) -> _Creep | None:
    mapping, limits = context.scope.mapping, context.scope.mapping.thresholds
    window = [(t, v) for t, v in split(latency, *context.window_s) if math.isfinite(v)]
    before = [(t, v) for t, v in split(latency, *context.baseline_s) if math.isfinite(v)]
    baseline = [v for _, v in before]
    if len(window) < 5 or len(baseline) < 3:
        return None
    base = median(baseline)
    origin = window[0][0]
    slope_s, intercept, agreement = theil_sen([(t - origin, v) for t, v in window])
    fitted_start, current = intercept, intercept + slope_s * (window[-1][0] - origin)
    rise = current - fitted_start
    if slope_s <= 0 or agreement < limits.latency_min_trend_agreement or rise < limits.latency_min_rise * base:
        return None
    slo = mapping.latency_slo(context.scope.service)
    threshold = slo if slo is not None else base * limits.latency_breach_factor
    hours_to_breach = max(0.0, (threshold - current) / slope_s / 3600)
    if hours_to_breach > limits.latency_horizon_h:
        return None
    return _Creep(window, base, slope_s, current, agreement, slo, threshold, hours_to_breach, before + window,
                  baseline)


def latency_points(series: list[Series], context: AnalysisContext) -> dict[float, float]:
    """Latency per step: a histogram quantile over the rate window, or the worst gauge across series."""
    mapping = context.scope.mapping
    if mapping.latency_kind == "gauge":
        worst: dict[float, float] = defaultdict(lambda: -math.inf)
        for item in series:
            for t, v in item.points:
                worst[t] = max(worst[t], v)
        return dict(sorted(worst.items()))
    return histogram_points(series, context)


def histogram_points(series: list[Series], context: AnalysisContext) -> dict[float, float]:
    """The mapping's latency quantile per step of histogram bucket counters (`le` label), over a trailing rate
    window of increases (at least two steps)."""
    quantile = context.scope.mapping.latency_quantile
    window_s = max(context.scope.mapping.rate_window_s, 2 * context.scope.step_s)
    by_bound: dict[float, list[list[tuple[float, float]]]] = defaultdict(list)
    for item in series:
        bound = item.labels.get("le")
        if bound is not None:
            by_bound[float(bound)].append(increases(item))
    if math.inf not in by_bound:
        return {}
    counts = {bound: rolling_sum(sum_by_time(parts), window_s) for bound, parts in by_bound.items()}
    result = {}
    for t in counts[math.inf]:
        value = histogram_quantile(quantile, {b: c.get(t, 0.0) for b, c in counts.items()})
        if value is not None:
            result[t] = value
    return result
