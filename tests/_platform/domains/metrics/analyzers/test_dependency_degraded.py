"""dependency_degraded on constructed service-graph series: the degraded edge is flagged on its callee only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.service_graph_scenario import EdgeShape, as_series, edge_families, openmetrics

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.domains.metrics.analyzers.dependency_degraded import DependencyDegraded
from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.domains.metrics.analyzers.signals import SignalData, metrics_context
from functions._platform.domains.metrics.analyzers.sweep import ProviderFetcher, analyze_metrics
from functions._platform.domains.metrics.source.offline import OfflineMetricsProvider
from sreo_events.models import TimeWindow

T0 = 1_714_557_600  # 2024-05-01 10:00 UTC
STEP = 60
BASELINE = TimeWindow(start=datetime.fromtimestamp(T0, UTC), end=datetime.fromtimestamp(T0 + 7200, UTC))
WINDOW = TimeWindow(start=BASELINE.end, end=datetime.fromtimestamp(T0 + 10800, UTC))
TIMES = list(range(T0, T0 + 10800 + 1, STEP))
ONSET = T0 + 9000
SIGNALS = {"requests": "traces_service_graph_request_total",
           "failed": "traces_service_graph_request_failed_total",
           "client_latency": "traces_service_graph_request_client_seconds_bucket",
           "server_latency": "traces_service_graph_request_server_seconds_bucket"}
DATABASE = {"connection_type": "database", "db_system": "postgresql"}


def after_onset(before: float, after: float):
    return lambda t: after if t > ONSET else before


def context() -> AnalysisContext:
    return metrics_context(service="checkout", window=WINDOW, baseline=BASELINE, step_s=STEP,
                           mapping=MetricsMapping())


def data(edges: list[EdgeShape]) -> dict[str, SignalData]:
    series = as_series(edge_families("checkout", edges, TIMES))
    return {name: SignalData(series.get(metric, []), f'{metric}{{client="checkout"}}')
            for name, metric in SIGNALS.items()}


def analyze(edges: list[EdgeShape]):
    return DependencyDegraded().analyze(data(edges), context())


def healthy(*servers: str) -> list[EdgeShape]:
    return [EdgeShape(server, labels=DATABASE if server == "orders-db" else {}) for server in servers]


def test_a_slow_edge_to_one_of_three_callees_is_flagged_on_that_callee_only():
    slow = EdgeShape("payments", client_mean=after_onset(0.05, 0.45))
    cause, companion = analyze([slow, *healthy("cart", "orders-db")])
    assert (cause.kind, cause.subject) == ("dependency_degraded", "payments")
    evidence = cause.evidence
    assert (evidence["client"], evidence["server"]) == ("checkout", "payments")
    assert evidence["client_latency_baseline_seconds"] == pytest.approx(0.095, rel=0.05)
    assert 0.8 < evidence["client_latency_window_seconds"] < 1.0  # p95 interpolated in the 0.5..1 bucket
    assert evidence["server_latency_window_seconds"] == pytest.approx(evidence["server_latency_baseline_seconds"])
    assert evidence["latency_degraded"] and not evidence["failures_degraded"]
    assert evidence["requests_window"] > 100 and evidence["requests_baseline"] > 100
    assert abs(cause.onset.timestamp() - ONSET) <= 300
    assert cause.severity == "critical" and cause.score >= 0.8
    assert "calls from checkout got slower, p95 0.10 s -> 0.94 s (client-observed)" in cause.summary
    assert "while payments' own server time stayed 0.02 s -> 0.02 s" in cause.summary
    assert 'traces_service_graph_request_client_seconds_bucket{client="checkout"}' in cause.query
    assert (companion.subject, companion.severity) == ("checkout", "info")
    assert companion.evidence["dependency"] == "payments"


def test_a_slow_server_says_so():
    slow = EdgeShape("payments", client_mean=after_onset(0.05, 0.45), server_mean=after_onset(0.01, 0.4))
    cause, _ = analyze([slow])
    assert "payments' own server time rose too" in cause.summary and "payments itself is slow" in cause.summary


def test_a_failing_edge_is_flagged_on_the_callee_named_like_the_twin():
    failing = EdgeShape("orders-db", failed_share=after_onset(0.005, 0.2), labels=DATABASE)
    cause, companion = analyze([failing, *healthy("payments", "cart")])
    assert cause.subject == "postgres/orders-db" and cause.evidence["server"] == "orders-db"
    assert cause.evidence["failures_degraded"] and not cause.evidence["latency_degraded"]
    assert cause.evidence["failure_ratio_window"] == pytest.approx(0.2, abs=0.02)
    assert cause.evidence["failure_ratio_baseline"] == pytest.approx(0.005, abs=0.002)
    assert cause.evidence["failure_ratio_robust_z"] >= 3.5
    assert cause.severity == "critical" and "calls from checkout fail 19.4% against" in cause.summary
    assert companion.evidence["dependency"] == "postgres/orders-db"


def test_flat_edges_give_nothing():
    assert analyze(healthy("payments", "cart", "orders-db")) == []


def test_a_single_slow_step_is_no_degradation():
    blip = EdgeShape("payments", client_mean=lambda t: 0.45 if t == ONSET else 0.05)
    assert analyze([blip]) == []


def test_too_few_requests_give_nothing():
    quiet = EdgeShape("payments", client_mean=after_onset(0.05, 0.45), failed_share=after_onset(0.0, 0.5),
                      per_step=1.0)
    assert analyze([quiet]) == []


def test_flat_edges_are_reported_healthy(tmp_path: Path):
    source = tmp_path / "edges.om.txt"
    source.write_text(openmetrics(edge_families("checkout", healthy("payments", "cart"), TIMES)), encoding="utf-8")
    fetcher = ProviderFetcher(OfflineMetricsProvider.from_files([source]))
    verdict = asyncio.run(analyze_metrics(fetcher, WINDOW, services=["checkout"], baseline=BASELINE,
                                          include_cluster=False))
    assert verdict.findings == []
    assert ("checkout: calls to its dependencies keep their baseline latency and failure ratio "
            "(dependency_degraded)") in verdict.checked
    assert "checkout: latency_creep" in verdict.without_data


def test_an_edge_threshold_comes_from_the_mapping():
    slow = EdgeShape("payments", client_mean=after_onset(0.05, 0.45))
    mapping = MetricsMapping(thresholds={"edge_latency_factor": 20.0})
    assert DependencyDegraded().analyze(data([slow]), metrics_context(
        service="checkout", window=WINDOW, baseline=BASELINE, step_s=STEP, mapping=mapping)) == []


def test_a_scan_finds_services_known_only_from_the_service_graph(tmp_path: Path):
    slow = EdgeShape("payments", client_mean=after_onset(0.05, 0.45))
    families = edge_families("checkout", [slow, *healthy("cart")], TIMES)
    for name, series in edge_families("user", healthy("checkout"), TIMES).items():
        families[name] += series
    source = tmp_path / "edges.om.txt"
    source.write_text(openmetrics(families), encoding="utf-8")
    fetcher = ProviderFetcher(OfflineMetricsProvider.from_files([source]))
    verdict = asyncio.run(analyze_metrics(fetcher, WINDOW, baseline=BASELINE, include_cluster=False))
    assert verdict.services == ["checkout"], "Tempo's uninstrumented `user` client is no service"
    assert {(f.kind, f.subject) for f in verdict.findings} >= {("dependency_degraded", "payments")}
