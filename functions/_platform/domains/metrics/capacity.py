"""Capacity forecasts over a span of history from the configured metrics source: per workload and node, how fast
CPU, memory, disk and database connections trend toward their limits, and when each runs out (95% interval).
Used by `sreo capacity report` and the weekly toil report."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from functions._platform.config import Settings

METHOD = "OLS trend of utilisation, 95% confidence band of the mean, autocorrelation-corrected"


class NoMetricsSource(ValueError):
    """Neither SREO_PROMETHEUS_URL nor SREO_METRICS_FILES is set."""


def capacity_forecasts(settings: Settings, since: timedelta, until: datetime,
                       services: list[str] | None = None) -> dict[str, Any]:
    """Every forecast over [until - since, until], soonest exhaustion first."""
    from functions._platform.domains.metrics.analyzers.capacity_forecast import CapacityForecast, forecasts
    from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
    from functions._platform.domains.metrics.analyzers.signals import metrics_context
    from functions._platform.domains.metrics.analyzers.sweep import (
        ProviderFetcher,
        choose_step,
        discover_services,
    )
    from functions._platform.domains.metrics.source import open_metrics_provider
    from sreo_events.models import TimeWindow

    provider = open_metrics_provider(settings)
    if provider is None:
        raise NoMetricsSource("no metrics source: set SREO_PROMETHEUS_URL or SREO_METRICS_FILES")
    fetcher, mapping, analyzer = ProviderFetcher(provider), MetricsMapping(), CapacityForecast()
    span = TimeWindow(start=until - since, end=until)
    start, end = span.start.timestamp(), span.end.timestamp()
    step = choose_step(start, end)

    async def run() -> list[dict[str, Any]]:
        known = await discover_services(fetcher, mapping, start, end)
        rows = []
        for service in [None, *sorted(set(services or []) | set(known))]:
            context = metrics_context(service=service, window=span, baseline=span, step_s=step, mapping=mapping,
                                      service_label=known.get(service, "service") if service else "service")
            data = {name: await fetcher.range(query, start, end, step)
                    for name, query in analyzer.signals(context).items()}
            rows.extend(item.as_dict() for item in forecasts(data, context))
        return rows

    rows = asyncio.run(run())
    rows.sort(key=lambda r: (r["exhausted_at"] is None, r["exhausted_at"] or "", r["subject"]))
    return {"window": {"start": span.start.isoformat(), "end": span.end.isoformat()}, "forecasts": rows,
            "method": METHOD}
