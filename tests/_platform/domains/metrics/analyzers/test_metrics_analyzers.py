"""Each analyzer on small constructed series: the planted change is found, its absence yields nothing."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.domains.metrics.analyzers.container_restarts import ContainerRestarts
from functions._platform.domains.metrics.analyzers.error_ratio_spike import ErrorRatioSpike
from functions._platform.domains.metrics.analyzers.latency_creep import LatencyCreep
from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.domains.metrics.analyzers.signals import SignalData, metrics_context
from functions._platform.domains.metrics.analyzers.stats import histogram_quantile, robust_z, theil_sen
from functions._platform.domains.metrics.source import Series
from sreo_events.models import TimeWindow

T0 = 1_714_557_600  # 2024-05-01 10:00 UTC
STEP = 60
BASELINE = TimeWindow(start=datetime.fromtimestamp(T0, UTC), end=datetime.fromtimestamp(T0 + 7200, UTC))
WINDOW = TimeWindow(start=BASELINE.end, end=datetime.fromtimestamp(T0 + 10800, UTC))
TIMES = list(range(T0, T0 + 10800, STEP))


def context(mapping: MetricsMapping | None = None) -> AnalysisContext:
    return metrics_context(service="api", window=WINDOW, baseline=BASELINE, step_s=STEP,
                           mapping=mapping or MetricsMapping(latency_kind="gauge", latency_metric="p95_seconds"))


def gauge(values) -> dict[str, SignalData]:
    series = Series(labels={"__name__": "p95_seconds", "service": "api"}, points=[(t, values(t)) for t in TIMES])
    return {"latency": SignalData([series], "p95_seconds{service=\"api\"}")}


def in_window(t: float) -> float:
    return max(0.0, (t - (T0 + 7200)) / 3600)


def test_stats_helpers():
    slope, intercept, agreement = theil_sen([(0, 1.0), (1, 3.0), (2, 5.0), (3, 100.0), (4, 9.0)])
    assert (slope, intercept) == (2.0, 1.0) and agreement == 0.9  # one falling pair, from the outlier
    assert histogram_quantile(0.5, {0.1: 50, 0.2: 100, math.inf: 100}) == pytest.approx(0.1)
    assert histogram_quantile(0.75, {0.1: 50, 0.2: 100, math.inf: 100}) == pytest.approx(0.15)
    assert histogram_quantile(0.99, {0.1: 50, math.inf: 100}) == 0.1
    assert robust_z(0.5, [0.01, 0.01, 0.01], min_sigma=0.01) == pytest.approx(49.0)


def test_flat_latency_yields_no_creep():
    assert LatencyCreep().analyze(gauge(lambda t: 0.2 + 0.01 * math.sin(t / 300)), context()) == []


def test_noisy_but_flat_latency_yields_no_creep():
    noise = [0.25, 0.15, 0.3, 0.1, 0.2]
    assert LatencyCreep().analyze(gauge(lambda t: noise[(t // STEP) % 5]), context()) == []


def test_creeping_latency_projects_a_breach():
    (finding,) = LatencyCreep().analyze(gauge(lambda t: 0.2 + 0.1 * in_window(t)), context())
    assert finding.kind == "latency_creep" and finding.subject == "api"
    assert finding.evidence["slope_seconds_per_hour"] == pytest.approx(0.1, rel=0.02)
    assert finding.evidence["threshold_seconds"] == pytest.approx(0.4)  # 2 x baseline median
    assert finding.evidence["hours_to_breach"] == pytest.approx(1.0, abs=0.05)
    assert finding.baseline == BASELINE and finding.window == WINDOW


def test_creep_beyond_the_horizon_is_not_reported():
    mapping = MetricsMapping(latency_kind="gauge", latency_metric="p95_seconds", latency_slo_seconds={"*": 10.0})
    assert LatencyCreep().analyze(gauge(lambda t: 0.2 + 0.1 * in_window(t)), context(mapping)) == []


def requests(error_share) -> dict[str, SignalData]:
    ok, bad, good_total, bad_total = [], [], 0.0, 0.0
    for t in TIMES:
        good_total += 100 * (1 - error_share(t))
        bad_total += 100 * error_share(t)
        ok.append((t, good_total))
        bad.append((t, bad_total))
    series = [Series(labels={"service": "api", "code": "200"}, points=ok),
              Series(labels={"service": "api", "code": "503"}, points=bad)]
    return {"requests": SignalData(series, "http_requests_total{service=\"api\"}")}


def test_error_ratio_spike_is_found_with_its_onset():
    spike_at = T0 + 9000
    (finding,) = ErrorRatioSpike().analyze(requests(lambda t: 0.3 if t > spike_at else 0.01), context())
    assert finding.evidence["error_ratio"] == pytest.approx(0.3, abs=0.01)
    assert finding.evidence["baseline_ratio_median"] == pytest.approx(0.01, abs=0.001)
    assert abs(finding.onset.timestamp() - spike_at) <= 300
    assert finding.severity == "critical"


def test_steady_error_ratio_is_no_spike():
    assert ErrorRatioSpike().analyze(requests(lambda t: 0.05), context()) == []


def restarts(times: list[int]) -> dict[str, SignalData]:
    points = [(t, float(sum(1 for r in times if r <= t))) for t in TIMES]
    return {"restarts": SignalData([Series(labels={"pod": "api-1", "container": "api"}, points=points)], "q")}


def test_restarts_in_the_window_are_reported():
    (finding,) = ContainerRestarts().analyze(restarts([T0 + 8000, T0 + 9000]), context())
    assert finding.evidence["restarts"] == 2 and finding.evidence["by_container"] == {"api-1/api": 2}


def test_restarts_at_the_baseline_rate_are_not_reported():
    steady = [T0 + k * 1800 for k in range(1, 6)]
    assert ContainerRestarts().analyze(restarts(steady), context()) == []


def test_latency_and_error_findings_carry_the_series_the_report_charts():
    """The points behind a finding (baseline and window, at most 60) and the baseline's range: the HTML report
    draws them as a chart under the cause."""
    from functions.report.charts import cause_charts

    spike_at = T0 + 9000
    (spike,) = ErrorRatioSpike().analyze(requests(lambda t: 0.3 if t > spike_at else 0.01), context())
    (creep,) = LatencyCreep().analyze(gauge(lambda t: 0.2 + 0.1 * in_window(t)), context())
    for finding in (spike, creep):
        points, band = finding.evidence["points"], finding.evidence["baseline_band"]
        assert 10 <= len(points) <= 60 and points == sorted(points)
        assert points[0][0] < WINDOW.start.timestamp() < points[-1][0]
        assert band[0] <= band[1]
    assert max(v for _, v in spike.evidence["points"]) == pytest.approx(0.3, abs=0.02)
    assert spike.evidence["baseline_band"][1] < 0.05
    cause = {"evidence": [f.model_dump(mode="json") for f in (spike, creep)]}
    charts = cause_charts(cause)
    assert len(charts) == 2 and all(chart.startswith("<svg") for chart in charts)
