"""Service-graph series of one client's edges, shaped like Tempo's metrics generator writes them.

Each edge gets a request and a failed counter and client / server latency histograms (latency uniform on
[0, 2 x mean]), one sample per `step` seconds. Used as `Series` in unit tests and as OpenMetrics for promtool.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from functions._platform.domains.metrics.source import Series

BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, math.inf]
TYPES = {"traces_service_graph_request": "counter", "traces_service_graph_request_failed": "counter",
         "traces_service_graph_request_client_seconds": "histogram",
         "traces_service_graph_request_server_seconds": "histogram"}


def constant(value: float) -> Callable[[int], float]:
    return lambda t: value


CLIENT_MEAN, SERVER_MEAN, FAILED_SHARE = constant(0.05), constant(0.01), constant(0.005)


@dataclass(frozen=True)
class EdgeShape:
    server: str
    client_mean: Callable[[int], float] = CLIENT_MEAN
    server_mean: Callable[[int], float] = SERVER_MEAN
    failed_share: Callable[[int], float] = FAILED_SHARE
    per_step: float = 120.0
    labels: dict[str, str] = field(default_factory=dict)


def edge_families(client: str, edges: list[EdgeShape], times: list[int]
                  ) -> dict[str, list[tuple[dict[str, str], list[tuple[int, float]]]]]:
    """Family -> [(labels incl. __name__, [(t, value)])]; counters are cumulative integers."""
    families: dict[str, list] = {family: [] for family in TYPES}
    for edge in edges:
        labels = {"client": client, "server": edge.server, **edge.labels}
        total = failed = 0.0
        requests, failures = [], []
        for t in times:
            total += edge.per_step
            failed += edge.per_step * edge.failed_share(t)
            requests.append((t, float(math.floor(total))))
            failures.append((t, float(math.floor(failed))))
        families["traces_service_graph_request"].append(
            ({"__name__": "traces_service_graph_request_total", **labels}, requests))
        families["traces_service_graph_request_failed"].append(
            ({"__name__": "traces_service_graph_request_failed_total", **labels}, failures))
        for side, mean in (("client", edge.client_mean), ("server", edge.server_mean)):
            counts = {bound: 0.0 for bound in BOUNDS}
            points: dict[float, list[tuple[int, float]]] = {bound: [] for bound in BOUNDS}
            for t in times:
                for bound in BOUNDS:
                    counts[bound] += edge.per_step * min(1.0, bound / (2 * mean(t)))
                    points[bound].append((t, float(math.floor(counts[bound]))))
            name = f"traces_service_graph_request_{side}_seconds"
            for bound in BOUNDS:
                le = "+Inf" if bound == math.inf else f"{bound:g}"
                families[name].append(({"__name__": f"{name}_bucket", **labels, "le": le}, points[bound]))
    return families


def as_series(families: dict[str, list]) -> dict[str, list[Series]]:
    """Metric name (as selected) -> series, the labels without `__name__` like a provider returns them."""
    result: dict[str, list[Series]] = {}
    for series in families.values():
        for labels, points in series:
            rest = {k: v for k, v in labels.items() if k != "__name__"}
            result.setdefault(labels["__name__"], []).append(Series(labels=rest, points=list(points)))
    return result


def openmetrics(families: dict[str, list]) -> str:
    lines = []
    for family, series in families.items():
        lines.append(f"# TYPE {family} {TYPES[family]}")
        for labels, points in series:
            rendered = ",".join(f'{k}="{v}"' for k, v in labels.items() if k != "__name__")
            lines.extend(f"{labels['__name__']}{{{rendered}}} {value:.17g} {t}" for t, value in points)
    return "\n".join(lines) + "\n# EOF\n"
