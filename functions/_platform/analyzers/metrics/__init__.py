"""Metrics analyzers: latency creep, error ratio spikes, resource saturation, container restarts."""

from functions._platform.analyzers.metrics.mapping import MetricsMapping
from functions._platform.analyzers.metrics.runner import (
    Fetcher,
    MetricsVerdict,
    ProviderFetcher,
    analyze_metrics,
    default_baseline,
    discover_services,
)

__all__ = ["Fetcher", "MetricsMapping", "MetricsVerdict", "ProviderFetcher", "analyze_metrics",
           "default_baseline", "discover_services"]
