"""The metrics domain: its analyzers, its MCP server and its triage hints. Every investigation asks it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from functions._platform.domains.contract import DomainSlice, ServerEntry, TriageHints

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from functions._platform.analyzers.contract import Analyzer
    from functions._platform.config import Settings


def _analyzers() -> tuple[Analyzer[Any], ...]:  # scopes: "service" and/or "cluster"
    from functions._platform.domains.metrics.analyzers.capacity_forecast import CapacityForecast
    from functions._platform.domains.metrics.analyzers.container_restarts import ContainerRestarts
    from functions._platform.domains.metrics.analyzers.dependency_degraded import DependencyDegraded
    from functions._platform.domains.metrics.analyzers.error_ratio_spike import ErrorRatioSpike
    from functions._platform.domains.metrics.analyzers.latency_creep import LatencyCreep
    from functions._platform.domains.metrics.analyzers.metric_change import MetricChange
    from functions._platform.domains.metrics.analyzers.resource_saturation import ResourceSaturation

    return (
        LatencyCreep(), ErrorRatioSpike(), ResourceSaturation(), ContainerRestarts(), DependencyDegraded(),
        MetricChange(), CapacityForecast(),
    )


def _server(settings: Settings) -> MCPServer:
    from functions._platform.domains.metrics.server import build

    return build(settings)


METRICS = DomainSlice(
    name="metrics",
    triage=TriageHints(
        asked="always",
        keywords=re.compile(
            r"\b(latenc\w*|slow\w*|p9\d|throughput|saturat\w*|cpu|memory|disk|error ?rate|timeout\w*|5\d\ds?|"
            r"burn ?rate|slo|availability|time[sd]? ?out|timing out)\b", re.IGNORECASE),
    ),
    analyzers=_analyzers,
    server=ServerEntry("metrics", _server),
)
