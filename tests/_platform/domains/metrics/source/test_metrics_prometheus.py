"""The live provider and the analyzers against a real Prometheus holding the backfilled scenario."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from support.metrics_scenario import SERVICES, WINDOW_S, Scenario

from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.domains.metrics.analyzers.sweep import ProviderFetcher, analyze_metrics
from functions._platform.domains.metrics.source import MetricsSourceError
from functions._platform.domains.metrics.source.offline import OfflineMetricsProvider
from functions._platform.domains.metrics.source.prometheus import PrometheusProvider

pytestmark = pytest.mark.integration


def by_kind(verdict) -> dict[tuple[str, str], object]:
    return {(f.kind, f.subject): f for f in verdict.findings}


def test_label_values_discover_the_services(prometheus_url: str, scenario: Scenario):
    provider = PrometheusProvider(prometheus_url)
    values = asyncio.run(provider.label_values("service", "http_requests_total", scenario.start, scenario.end))
    assert values == sorted(SERVICES)


@pytest.mark.parametrize("selector", [
    'http_requests_total{service="payments"}',
    'http_request_duration_seconds_bucket{service="checkout", le=~"0.25|\\\\+Inf"}',
    'kube_pod_container_resource_limits{pod=~"cart-.*", resource="memory"}',
])
def test_offline_provider_samples_like_prometheus(prometheus_url: str, openmetrics_file: Path,
                                                  scenario: Scenario, selector: str):
    live, offline = PrometheusProvider(prometheus_url), OfflineMetricsProvider.from_files([openmetrics_file])
    args = (selector, scenario.end - 2 * WINDOW_S - 7, scenario.end + 600, 45.0)
    expected = sorted((sorted(s.labels.items()), s.points) for s in asyncio.run(live.range(*args)))
    actual = sorted((sorted(s.labels.items()), s.points) for s in asyncio.run(offline.range(*args)))
    assert expected, "Prometheus returned nothing; the backfill did not load"
    assert actual == expected


def test_promql_errors_surface_as_source_errors(prometheus_url: str, scenario: Scenario):
    with pytest.raises(MetricsSourceError, match="bad_data"):
        asyncio.run(PrometheusProvider(prometheus_url).instant("rate(http_requests_total[5m]", scenario.end))


def test_unreachable_prometheus_is_a_source_error():
    with pytest.raises(MetricsSourceError, match="unreachable"):
        asyncio.run(PrometheusProvider("http://127.0.0.1:9").instant("up", 0))


def test_analyzers_find_each_planted_problem_and_nothing_else(prometheus_url: str, scenario: Scenario):
    verdict = asyncio.run(analyze_metrics(ProviderFetcher(PrometheusProvider(prometheus_url)), scenario.window,
                                          symptom_onset=scenario.window.start))
    found = by_kind(verdict)
    changed = {subject for kind, subject in found if kind == "metric_change"}
    assert changed == {"cart", "payments"}  # the planted steps; checkout's latency creeps too slowly to be one
    found = {key: finding for key, finding in found.items() if key[0] != "metric_change"}
    assert set(found) == {("latency_creep", "checkout"), ("error_ratio_spike", "payments"),
                          ("container_restarts", "payments"), ("resource_saturation", "cart"),
                          ("resource_saturation", "node/node-1")}
    creep = found[("latency_creep", "checkout")]
    assert creep.evidence["slope_seconds_per_hour"] > 0
    assert 0 < creep.evidence["hours_to_breach"] < 24
    assert creep.evidence["projected_breach_at"] > scenario.window.start.isoformat()
    assert creep.baseline.end == scenario.window.start
    assert "http_request_duration_seconds_bucket" in creep.query
    assert found[("error_ratio_spike", "payments")].evidence["error_ratio"] == pytest.approx(0.2, abs=0.02)
    assert found[("container_restarts", "payments")].evidence["restarts"] == 4
    assert found[("resource_saturation", "cart")].evidence["resource"] == "memory"
    assert "payments: latency has no upward trend toward its threshold (latency_creep)" in verdict.checked
    assert "cart: latency has no upward trend toward its threshold (latency_creep)" in verdict.checked


def test_offline_files_give_the_same_findings_as_prometheus(prometheus_url: str, openmetrics_file: Path,
                                                           scenario: Scenario):
    onset = scenario.window.start  # the change analyzer runs too, and must agree across providers
    live = asyncio.run(analyze_metrics(ProviderFetcher(PrometheusProvider(prometheus_url)), scenario.window,
                                       symptom_onset=onset))
    offline = asyncio.run(analyze_metrics(ProviderFetcher(OfflineMetricsProvider.from_files([openmetrics_file])),
                                          scenario.window, symptom_onset=onset))
    strip = lambda verdict: sorted((f.kind, f.subject, f.severity, f.score, f.onset, repr(f.evidence))
                                   for f in verdict.findings)
    assert strip(offline) == strip(live)
    assert offline.checked == live.checked


def test_a_distant_slo_turns_the_creep_into_a_later_warning(prometheus_url: str, scenario: Scenario):
    mapping = MetricsMapping(latency_slo_seconds={"checkout": 1.0})
    verdict = asyncio.run(analyze_metrics(ProviderFetcher(PrometheusProvider(prometheus_url)), scenario.window,
                                          services=["checkout"], mapping=mapping, include_cluster=False))
    creep = by_kind(verdict)[("latency_creep", "checkout")]
    assert creep.evidence["threshold_source"] == "slo"
    assert creep.evidence["hours_to_breach"] > 1
    assert creep.severity == "warning"
