"""Metrics analyzers. Adding one is one module and one line here."""

from __future__ import annotations

from functions._platform.analyzers.metrics.base import Analyzer
from functions._platform.analyzers.metrics.capacity_forecast import CapacityForecast
from functions._platform.analyzers.metrics.container_restarts import ContainerRestarts
from functions._platform.analyzers.metrics.dependency_degraded import DependencyDegraded
from functions._platform.analyzers.metrics.error_ratio_spike import ErrorRatioSpike
from functions._platform.analyzers.metrics.latency_creep import LatencyCreep
from functions._platform.analyzers.metrics.metric_change import MetricChange
from functions._platform.analyzers.metrics.resource_saturation import ResourceSaturation

ANALYZERS: list[Analyzer] = [LatencyCreep(), ErrorRatioSpike(), ResourceSaturation(), ContainerRestarts(),
                             DependencyDegraded(), MetricChange(), CapacityForecast()]


def analyzers_for(scope: str) -> list[Analyzer]:
    return [analyzer for analyzer in ANALYZERS if scope in analyzer.scopes]
