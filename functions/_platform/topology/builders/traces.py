"""Graph from trace-derived service-graph metrics: `traces_service_graph_request_total{client, server}` as
written by Tempo's metrics generator or the OpenTelemetry servicegraph connector. Read through the metrics
provider (Prometheus at `prometheus_url`, else the offline metric files)."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Coroutine
from typing import Any

from functions._platform.domains.metrics.source.models import MetricsSourceError, Series
from functions._platform.topology.builders.contract import TopologyInputs, TopologySourceError
from functions._platform.topology.graph import Graph

SOURCE = "traces"
REQUESTS = "traces_service_graph_request_total"
FAILED = "traces_service_graph_request_failed_total"
UNINSTRUMENTED_CLIENT = "user"  # Tempo's name for a caller it cannot see (a root span's client)
POINTS_PER_LOOKBACK = 60


def counter_increase(points: list[tuple[float, float]]) -> float:
    """Increase over the points, counting a drop as a counter reset."""
    total = 0.0
    for (_, previous), (_, current) in itertools.pairwise(points):
        total += current - previous if current >= previous else current
    return total


def server_node(labels: dict[str, str]) -> tuple[str, str]:
    """The twin's node name and kind for a service-graph series' `server` (databases and virtual nodes renamed)."""
    server = labels["server"]
    connection = labels.get("connection_type", "")
    if connection == "database":
        system = labels.get("db_system", "postgres").lower()
        engine = "postgres" if system in ("postgresql", "postgres") else system
        return (server if "/" in server else f"{engine}/{server}"), "database"
    if connection == "virtual_node":
        return (server if server.startswith("external/") else f"external/{server}"), "external"
    return server, "service"


def graph_from_service_graph(requests: list[Series], failed: list[Series] = (),  # type: ignore[assignment]
                             seen: list[dict[str, str]] = ()) -> Graph:  # type: ignore[assignment]
    """The traces part of the twin, as a pure function of the service-graph series. `seen` holds label sets of
    request series found outside the counted window: their edges carry no request count."""
    failures: dict[tuple[str, str], float] = {}
    for series in failed:
        key = (series.labels.get("client", ""), series.labels.get("server", ""))
        failures[key] = failures.get(key, 0.0) + counter_increase(series.points)
    totals: dict[tuple[str, str], tuple[dict[str, str], float | None]] = {}
    counted = [(series.labels, counter_increase(series.points)) for series in requests]
    for labels, count in counted + [(labels, None) for labels in seen]:
        client, server = labels.get("client"), labels.get("server")
        if not client or not server or client == UNINSTRUMENTED_CLIENT:
            continue
        first, total = totals.get((client, server), (labels, None))
        totals[(client, server)] = (first, total if count is None else (total or 0.0) + count)
    graph = Graph()
    for (client, server), (labels, count) in sorted(totals.items()):
        callee, kind = server_node(labels)
        graph.add_node(client, "service", {}, (), SOURCE)
        graph.add_node(callee, kind, {}, [server] if callee != server else [], SOURCE)
        evidence: dict[str, Any] = {"metric": REQUESTS}
        if count is not None:
            evidence["requests"] = round(count, 3)
        if (client, server) in failures:
            evidence["failed"] = round(failures[(client, server)], 3)
        graph.add_edge(client, callee, "calls", SOURCE, evidence)
    return graph


def run_coroutine(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to completion from sync code, even when called inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # noqa: BLE001  (re-raised in the caller's thread)
            result["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


async def fetch_service_graph(provider: Any, lookback_s: float, end: float, seen_since: float
                              ) -> tuple[list[Series], list[Series], list[dict[str, str]]]:
    """Request and failure counters over [end - lookback, end], and every request series seen since
    `seen_since` (an offline file's edges count even when its samples are older than the lookback)."""
    start, step = end - lookback_s, max(lookback_s / POINTS_PER_LOOKBACK, 1.0)
    try:
        requests = await provider.range(REQUESTS, start, end, step)
        seen = await provider.series(REQUESTS, min(seen_since, start), end)
        try:
            failed = await provider.range(FAILED, start, end, step)
        except MetricsSourceError:  # the failed counter is optional
            failed = []
        return requests, failed, seen
    finally:
        await provider.aclose()


class TracesBuilder:
    source = SOURCE

    def configured(self, inputs: TopologyInputs) -> bool:
        return bool(inputs.prometheus_url or inputs.metrics_files)

    def collect(self, inputs: TopologyInputs) -> Graph:
        from functions._platform.domains.metrics.source.provider import open_metrics_provider

        end = inputs.traces_until.timestamp() if inputs.traces_until else time.time()
        offline_history = not inputs.prometheus_url and inputs.traces_until is None
        seen_since = 0.0 if offline_history else end - inputs.traces_lookback_s
        where = inputs.prometheus_url or inputs.metrics_files
        try:
            provider = open_metrics_provider(inputs)  # type: ignore[arg-type]  (reads the same two fields)
            if provider is None:
                return Graph()
            requests, failed, seen = run_coroutine(
                fetch_service_graph(provider, inputs.traces_lookback_s, end, seen_since))
        except Exception as exc:  # any failure of the source is reported as the source's error
            raise TopologySourceError(f"traces: {where}: {type(exc).__name__}: {exc}") from exc
        return graph_from_service_graph(requests, failed, seen)
