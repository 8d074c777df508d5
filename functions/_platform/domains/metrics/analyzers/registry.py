"""Metrics analyzers. Adding one is one module and one line here."""

from __future__ import annotations

from functions._platform.domains.metrics.analyzers.base import Analyzer
from functions._platform.domains.metrics.analyzers.capacity_forecast import CapacityForecast
from functions._platform.domains.metrics.analyzers.container_restarts import ContainerRestarts
from functions._platform.domains.metrics.analyzers.dependency_degraded import DependencyDegraded
from functions._platform.domains.metrics.analyzers.error_ratio_spike import ErrorRatioSpike
from functions._platform.domains.metrics.analyzers.latency_creep import LatencyCreep
from functions._platform.domains.metrics.analyzers.metric_change import MetricChange
from functions._platform.domains.metrics.analyzers.resource_saturation import ResourceSaturation

ANALYZERS: list[Analyzer] = [LatencyCreep(), ErrorRatioSpike(), ResourceSaturation(), ContainerRestarts(),
                             DependencyDegraded(), MetricChange(), CapacityForecast()]


def analyzers_for(scope: str) -> list[Analyzer]:
    return [analyzer for analyzer in ANALYZERS if scope in analyzer.scopes]
