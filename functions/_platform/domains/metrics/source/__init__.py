"""Metrics source: live Prometheus or offline OpenMetrics/CSV files behind `MetricsProvider`."""

from functions._platform.domains.metrics.source.models import (
    MetricsSourceError,
    Series,
    parse_duration,
    to_unix,
)
from functions._platform.domains.metrics.source.provider import (
    MetricsProvider,
    metrics_configured,
    open_metrics_provider,
)

__all__ = [
    "MetricsProvider", "MetricsSourceError", "Series", "metrics_configured", "open_metrics_provider",
    "parse_duration", "to_unix",
]
