"""What the supervisor reads from the metrics source: the endpoint whose latency rose most, and a service's
latency over a span, measured the way the latency analyzer measures it."""

from __future__ import annotations

import asyncio
import math
from collections import defaultdict
from datetime import datetime

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.config import Settings
from functions._platform.domains.metrics.analyzers.latency_creep import LatencyCreep, latency_points
from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.domains.metrics.analyzers.signals import metrics_context
from functions._platform.domains.metrics.analyzers.stats import median
from sreo_events.models import TimeWindow

ROUTE_LABELS = ("endpoint", "route", "handler", "path", "uri")
STEP_S = 60.0


def _context(service: str, start: datetime, end: datetime) -> AnalysisContext:
    span = TimeWindow(start=start, end=end)
    return metrics_context(service=service, window=span, baseline=span, step_s=STEP_S, mapping=MetricsMapping())


def _series(settings: Settings, service: str, start: datetime, end: datetime):
    from functions._platform.domains.metrics.analyzers.sweep import ProviderFetcher
    from functions._platform.domains.metrics.source import open_metrics_provider

    provider = open_metrics_provider(settings)
    if provider is None:
        return None, None
    context = _context(service, start, end)
    query = LatencyCreep().signals(context)["latency"]
    rate_s = max(context.scope.mapping.rate_window_s, 2 * STEP_S)
    data = asyncio.run(ProviderFetcher(provider).range(query, start.timestamp() - rate_s, end.timestamp(), STEP_S))
    return data.series, context


def latency_over(settings: Settings, service: str, start: datetime, end: datetime) -> tuple[float | None, int]:
    """Median latency (the mapping's quantile for histograms) over [start, end], and how many steps it saw."""
    series, context = _series(settings, service, start, end)
    if not series:
        return None, 0
    points = [v for t, v in latency_points(series, context).items()
              if start.timestamp() <= t <= end.timestamp() and math.isfinite(v)]
    return (median(points), len(points)) if points else (None, 0)


def slowest_endpoint(settings: Settings, service: str, window: TimeWindow) -> str | None:
    """The route label value whose latency rose most over the window (last quarter vs first), if any rose."""
    series, context = _series(settings, service, window.start, window.end)
    if not series:
        return None
    label = next((name for name in ROUTE_LABELS if any(name in s.labels for s in series)), None)
    if label is None:
        return None
    groups = defaultdict(list)
    for item in series:
        groups[item.labels.get(label, "")].append(item)
    best, best_rise = None, 1.0
    for route, members in groups.items():
        points = sorted(latency_points(members, context).items())
        values = [v for t, v in points if t >= window.start.timestamp() and math.isfinite(v)]
        if len(values) < 8 or not route:
            continue
        quarter = len(values) // 4
        first, last = median(values[:quarter]), median(values[-quarter:])
        if first > 0 and last / first > best_rise:
            best, best_rise = route, last / first
    return best
