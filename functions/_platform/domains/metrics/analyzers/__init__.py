"""Metrics analyzers: latency creep, error ratio spikes, resource saturation, container restarts."""

from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.domains.metrics.analyzers.runner import (
    Fetcher,
    MetricsVerdict,
    ProviderFetcher,
    analyze_metrics,
    default_baseline,
    discover_services,
)

__all__ = ["Fetcher", "MetricsMapping", "MetricsVerdict", "ProviderFetcher", "analyze_metrics",
           "default_baseline", "discover_services"]
