"""The one interface over metrics backends, and the factory that picks one from settings."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from functions._platform.config import Settings
from functions._platform.domains.metrics.source.models import Series

LOOKBACK_S = 300.0  # Prometheus' default lookback delta: a sample stays current this long


class MetricsProvider(Protocol):
    description: str

    async def instant(self, query: str, at: float) -> list[Series]:
        """Evaluate `query` at unix time `at`; each series carries one point."""

    async def range(self, query: str, start: float, end: float, step: float) -> list[Series]:
        """Evaluate `query` at `start, start+step, ... <= end`."""

    async def series(self, match: str, start: float, end: float) -> list[dict[str, str]]:
        """Label sets of the series matching the selector `match` in [start, end]."""

    async def label_values(self, label: str, match: str | None, start: float, end: float) -> list[str]:
        """Sorted distinct values of `label`, optionally only on series matching `match`."""

    async def aclose(self) -> None:
        """Release connections."""


def metrics_configured(settings: Settings) -> bool:
    return bool(settings.prometheus_url or settings.metrics_files)


def metric_file_paths(settings: Settings) -> list[Path]:
    return [Path(part.strip()).expanduser() for part in (settings.metrics_files or "").split(",") if part.strip()]


def open_metrics_provider(settings: Settings) -> MetricsProvider | None:
    """The live Prometheus provider when `prometheus_url` is set, else the offline files, else None."""
    if settings.prometheus_url:
        from functions._platform.domains.metrics.source.prometheus import PrometheusProvider

        return PrometheusProvider(settings.prometheus_url)
    paths = metric_file_paths(settings)
    if paths:
        from functions._platform.domains.metrics.source.offline import OfflineMetricsProvider

        layout = getattr(settings, "metrics_csv_layout", "auto")  # topology inputs carry only the file list
        return OfflineMetricsProvider.from_files(paths, layout == "component_metric")
    return None
