"""The documented metrics mappings (`functions/_platform/domains/metrics/analyzers/mappings/*.yaml`): each one, loaded as
SREO_METRICS_MAPPING would load it, finds a planted fault in metrics named the way that exporter names them."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

from functions._platform.config import Settings
from functions._platform.domains.metrics.analyzers.mapping import MetricsMappingError, load_mapping
from functions._platform.domains.metrics.analyzers.sweep import ProviderFetcher, analyze_metrics
from functions._platform.domains.metrics.source.offline import OfflineMetricsProvider
from sreo_events.models import TimeWindow

MAPPINGS = REPO_ROOT / "functions" / "_platform" / "domains" / "metrics" / "analyzers" / "mappings"
T0 = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
STEP = 15
TIMES = range(int((T0 - timedelta(minutes=90)).timestamp()), int((T0 + timedelta(minutes=10)).timestamp()) + 1, STEP)


def counters(labels_of: dict[str, str], rate) -> list[str]:
    """OpenMetrics lines of one counter per label set; `rate(labels, t)` is its per-second increase."""
    rng, lines = random.Random(7), []
    for name, labels in labels_of.items():
        total = 0.0
        for t in TIMES:
            total += STEP * rate(name, t) * (1 + rng.gauss(0, 0.02))
            lines.append(f"{labels} {total:.3f} {t}")
    return lines


def gauges(labels_of: dict[str, str], value) -> list[str]:
    rng = random.Random(8)
    return [f"{labels} {value(name, t) * (1 + rng.gauss(0, 0.02)):.6g} {t}" for name, labels in labels_of.items()
            for t in TIMES]


def requests(metric: str, service_label: str, service: str, status_label: str, ok: str, bad: str,
             failing: bool = True) -> list[str]:
    """Requests of `service`: 20/s, 0.1 % failing until T0, then 20 % (`failing`) or still 0.1 %."""
    after = T0.timestamp() if failing else float("inf")
    series = {status: f'{metric}{{{service_label}="{service}",{status_label}="{status}"}}' for status in (ok, bad)}
    return counters(series, lambda status, t: 20 * ((0.2 if t >= after else 0.001) if status == bad else
                                                    (0.8 if t >= after else 0.999)))


def verdict(tmp_path: Path, name: str, text: str, suffix: str = ".om", services=None):
    path = tmp_path / f"metrics{suffix}"
    path.write_text(text)
    mapping = load_mapping(MAPPINGS / f"{name}.yaml")
    fetcher = ProviderFetcher(OfflineMetricsProvider.from_files([path]))
    window = TimeWindow(start=T0 - timedelta(minutes=15), end=T0 + timedelta(minutes=10))
    return asyncio.run(analyze_metrics(fetcher, window, services=services, mapping=mapping, symptom_onset=T0))


def kinds(result) -> set[tuple[str, str]]:
    return {(f.kind, f.subject) for f in result.findings}


def test_kubernetes_cadvisor_and_kube_state_metrics(tmp_path: Path):
    pods = {s: f'namespace="shop",pod="{s}-6d5f8b7c9-ab1cd",container="{s}"' for s in ("cart", "web")}
    memory = gauges({s: f"container_memory_working_set_bytes{{{labels}}}" for s, labels in pods.items()},
                    lambda s, t: 480e6 if s == "cart" and t >= T0.timestamp() else 200e6)
    limits = gauges({s: f'kube_pod_container_resource_limits{{{labels},resource="memory"}}' for s, labels in pods.items()},
                    lambda s, t: 500e6)
    found = kinds(verdict(tmp_path, "kubernetes", "\n".join(memory + limits) + "\n# EOF\n", services=["cart", "web"]))
    assert {("resource_saturation", "cart"), ("metric_change", "cart")} <= found
    assert not {subject for _, subject in found} & {"web"}


def test_istio_standard_metrics(tmp_path: Path):
    lines = requests("istio_requests_total", "destination_workload", "reviews", "response_code", "200", "503")
    lines += requests("istio_requests_total", "destination_workload", "ratings", "response_code", "200", "503",
                      failing=False)
    result = verdict(tmp_path, "istio", "\n".join(lines) + "\n# EOF\n")
    found = kinds(result)
    assert ("error_ratio_spike", "reviews") in found
    assert not any(subject == "ratings" for _, subject in found)


def test_opentelemetry_span_metrics(tmp_path: Path):
    lines = requests("traces_span_metrics_calls_total", "service_name", "checkout", "status_code",
                     "STATUS_CODE_UNSET", "STATUS_CODE_ERROR")
    found = kinds(verdict(tmp_path, "otel-spanmetrics", "\n".join(lines) + "\n# EOF\n"))
    assert ("error_ratio_spike", "checkout") in found


def test_cloudwatch_style_wide_csv_export(tmp_path: Path):
    rng = random.Random(9)
    rows = ["Timestamp,ServiceName,CPUUtilization,MemoryUtilization,Latency"]
    for t in range(TIMES.start, TIMES.stop, 60):
        for service in ("orders", "search"):
            cpu = 85.0 if service == "orders" and t >= T0.timestamp() else 30.0
            rows.append(f"{datetime.fromtimestamp(t, UTC).isoformat()},{service},{cpu * (1 + rng.gauss(0, 0.03)):.3f},"
                        f"{50 * (1 + rng.gauss(0, 0.02)):.3f},{0.12 * (1 + rng.gauss(0, 0.03)):.4f}")
    result = verdict(tmp_path, "cloudwatch-export", "\n".join(rows) + "\n", suffix=".csv")
    assert set(result.services) == {"orders", "search"}
    change = next(f for f in result.findings if (f.kind, f.subject) == ("metric_change", "orders"))
    assert change.evidence["metrics"][0]["metric"] == "CPUUtilization"
    assert not any(f.subject == "search" and f.severity != "info" for f in result.findings)


def test_a_bad_mapping_file_stops_start_up_with_the_file_and_field(tmp_path: Path, monkeypatch):
    bad = tmp_path / "mapping.yaml"
    bad.write_text("latency_kind: summary\n")
    with pytest.raises(ValueError, match=r"mapping.yaml: latency_kind"):
        Settings(metrics_mapping=bad)
    with pytest.raises(MetricsMappingError, match="not found|No such file"):
        load_mapping(tmp_path / "missing.yaml")
    good = tmp_path / "gauge.yaml"
    good.write_text("latency_kind: gauge\nlatency_metric: pod_latency_seconds\n")
    assert load_mapping(Settings(metrics_mapping=good).metrics_mapping).latency_kind == "gauge"
