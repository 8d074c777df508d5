"""Offline provider: selectors, OpenMetrics and CSV loading, Prometheus-like sampling."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from support.metrics_scenario import Scenario, write_long_csv

from functions._platform.config import Settings
from functions._platform.domains.metrics.source import (
    MetricsSourceError,
    open_metrics_provider,
    parse_duration,
)
from functions._platform.domains.metrics.source.offline import OfflineMetricsProvider
from functions._platform.domains.metrics.source.selector import UnsupportedQuery, parse_selector


def test_selector_matching_follows_prometheus_semantics():
    selector = parse_selector('http_requests_total{code=~"5..", service!="cart", pod!~"x-.*", env=""}')
    assert selector.metric == "http_requests_total"
    assert selector.matches({"__name__": "http_requests_total", "code": "503", "service": "api", "pod": "y-1"})
    assert not selector.matches({"__name__": "http_requests_total", "code": "1500", "service": "api"})
    assert not selector.matches({"__name__": "http_requests_total", "code": "500", "service": "cart"})
    assert not selector.matches({"__name__": "http_requests_total", "code": "500", "env": "prod"})
    assert parse_selector('{__name__="up", job="a\\"b"}').matches({"__name__": "up", "job": 'a"b'})


@pytest.mark.parametrize("query", ["rate(x[5m])", "sum(x)", "x{a=b}", "x + y"])
def test_offline_refuses_promql_beyond_selectors(query: str):
    with pytest.raises(UnsupportedQuery):
        parse_selector(query)


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("5m", 300), ("1h30m", 5400), ("250ms", 0.25),
                                               ("90", 90)])
def test_durations(text: str, seconds: float):
    assert parse_duration(text) == seconds


def test_range_uses_the_five_minute_lookback(tmp_path: Path):
    path = tmp_path / "gauge.om"
    path.write_text("# TYPE g gauge\ng{a=\"1\"} 1 1000\ng{a=\"1\"} 2 1060\n# EOF\n", encoding="utf-8")
    provider = OfflineMetricsProvider.from_files([path])
    (series,) = asyncio.run(provider.range("g", 1000, 1500, 60))
    # Prometheus 2.x counts a sample exactly five minutes old as current
    assert series.points == [(1000, 1.0), (1060, 2.0), (1120, 2.0), (1180, 2.0), (1240, 2.0), (1300, 2.0),
                             (1360, 2.0)]
    assert asyncio.run(provider.instant("g", 1361)) == []
    assert asyncio.run(provider.instant('g{a="2"}', 1060)) == []


def test_prometheus_text_format_without_eof_is_read(tmp_path: Path):
    path = tmp_path / "scrape.prom"
    path.write_text('up{job="api"} 1 1000000\nup{job="db"} 0 1000000\n', encoding="utf-8")
    provider = OfflineMetricsProvider.from_files([path])
    assert asyncio.run(provider.label_values("job", "up", 0, 2000)) == ["api", "db"]


def test_long_csv_matches_openmetrics(openmetrics_file: Path, scenario: Scenario, tmp_path: Path):
    families = ("http_requests", "kube_pod_container_resource_limits")
    csv_path = write_long_csv(scenario, tmp_path / "metrics.csv", families)
    from_csv = OfflineMetricsProvider.from_files([csv_path])
    from_om = OfflineMetricsProvider.from_files([openmetrics_file])
    for selector in ('http_requests_total{service="payments"}', 'kube_pod_container_resource_limits'):
        args = (selector, scenario.start, scenario.end, 60.0)
        expected = sorted((sorted(s.labels.items()), s.points) for s in asyncio.run(from_om.range(*args)))
        assert expected
        assert sorted((sorted(s.labels.items()), s.points) for s in asyncio.run(from_csv.range(*args))) == expected


def test_wide_csv_columns_are_series(tmp_path: Path):
    path = tmp_path / "wide.csv"
    path.write_text('timestamp,up{job="api"},cpu_seconds_total\n'
                    "2024-05-01T10:00:00Z,1,10\n2024-05-01T10:01:00Z,,12.5\n", encoding="utf-8")
    provider = OfflineMetricsProvider.from_files([path])
    start = 1714557600
    up = asyncio.run(provider.range('up{job="api"}', start, start + 60, 60))
    cpu = asyncio.run(provider.range("cpu_seconds_total", start, start + 60, 60))
    assert up[0].points == [(start, 1.0), (start + 60, 1.0)]  # the empty cell is no sample; lookback fills it
    assert cpu[0].points == [(start, 10.0), (start + 60, 12.5)]


def test_bad_files_are_reported_with_their_path(tmp_path: Path):
    path = tmp_path / "broken.csv"
    path.write_text("timestamp,metric,value\nyesterday,up,1\n", encoding="utf-8")
    with pytest.raises(MetricsSourceError, match="broken.csv:2"):
        OfflineMetricsProvider.from_files([path])
    with pytest.raises(MetricsSourceError, match="not found"):
        OfflineMetricsProvider.from_files([tmp_path / "missing.om"])


def test_factory_prefers_prometheus_then_files(openmetrics_file: Path):
    assert open_metrics_provider(Settings(prometheus_url=None, metrics_files=None)) is None
    offline = open_metrics_provider(Settings(prometheus_url=None, metrics_files=f" {openmetrics_file} "))
    assert isinstance(offline, OfflineMetricsProvider)
    live = open_metrics_provider(Settings(prometheus_url="http://127.0.0.1:9090", metrics_files=str(openmetrics_file)))
    assert live.description == "prometheus at http://127.0.0.1:9090"


def test_wide_csv_with_identity_columns_labels_each_row(tmp_path: Path):
    path = tmp_path / "pods.csv"
    path.write_text("Service,Time,TimeStamp,PodName,CpuUsage(m),PodClientLatencyP90(s)\n"
                    "cart,2024-05-01T10:00:00,1,cart-7d-x1,12.5,0.05\n"
                    "web,2024-05-01T10:00:00,1,web-7d-y2,3,0.2\n", encoding="utf-8")
    provider = OfflineMetricsProvider.from_files([path])
    start = 1714557600  # the wallclock Time column wins over an epoch TimeStamp beside it
    cpu = asyncio.run(provider.range('CpuUsage_m{service="cart"}', start, start, 60))
    assert cpu[0].labels == {"__name__": "CpuUsage_m", "service": "cart", "pod": "cart-7d-x1"}
    assert cpu[0].points == [(start, 12.5)]
    assert asyncio.run(provider.label_values("service", None, start, start)) == ["cart", "web"]


def test_wide_csv_component_metric_headers_when_asked(tmp_path: Path):
    path = tmp_path / "dashboard.csv"
    path.write_text("time,cart_cpu_seconds,web_latency_p95\n2024-05-01T10:00:00Z,1.5,0.2\n", encoding="utf-8")
    start = 1714557600
    plain = OfflineMetricsProvider.from_files([path])
    assert asyncio.run(plain.range("cart_cpu_seconds", start, start, 60))[0].points == [(start, 1.5)]
    split = open_metrics_provider(Settings(prometheus_url=None, metrics_files=str(path),
                                           metrics_csv_layout="component_metric"))
    found = asyncio.run(split.range('cpu_seconds{service="cart"}', start, start, 60))
    assert found[0].points == [(start, 1.5)]
    assert asyncio.run(split.label_values("service", None, start, start)) == ["cart", "web"]
