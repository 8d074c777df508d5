"""Findings carry the series behind them (baseline and window, at most 60 points, and the baseline's range), and
the HTML report draws each as a chart under the cause."""

from __future__ import annotations

from datetime import timedelta

import pytest
from metric_series import LIMIT, T0, WINDOW, context, gauge, in_window, memory, requests
from test_metric_change import T0 as CHANGE_T0
from test_metric_change import analyze, sampled

from functions._platform.domains.metrics.analyzers.error_ratio_spike import ErrorRatioSpike
from functions._platform.domains.metrics.analyzers.latency_creep import LatencyCreep
from functions._platform.domains.metrics.analyzers.resource_saturation import ResourceSaturation
from functions.report.charts import cause_charts


def _assert_charted(finding, window_start: float, peak: float, band_high: float) -> None:
    points, band = finding.evidence["points"], finding.evidence["baseline_band"]
    assert 10 <= len(points) <= 60 and points == sorted(points)
    assert points[0][0] < window_start < points[-1][0]
    assert band[0] <= band[1] < band_high
    assert max(v for _, v in points) >= peak
    (chart,) = cause_charts({"evidence": [finding.model_dump(mode="json")]})
    assert chart.startswith("<svg") and "<polyline" in chart and 'class="baseline"' in chart
    assert 'class="onset"' in chart


def test_saturated_memory_carries_its_utilisation_series():
    start = WINDOW.start.timestamp()
    (finding,) = ResourceSaturation().analyze(
        memory(lambda t: LIMIT * (0.97 if t >= start + 1800 else 0.4)), context())
    assert finding.kind == "resource_saturation" and finding.evidence["resource"] == "memory"
    _assert_charted(finding, start, peak=0.96, band_high=0.5)


def test_a_metric_change_carries_the_series_that_moved_most():
    [finding] = analyze(sampled("cpu_usage", lambda s: 2.0 if s >= 0 else 1.0), sampled("memory", lambda s: 300.0))
    assert finding.evidence["metrics"][0]["metric"] == "cpu_usage"
    _assert_charted(finding, (CHANGE_T0 - timedelta(minutes=15)).timestamp(), peak=1.9, band_high=1.2)


def test_latency_and_error_findings_carry_the_series_the_report_charts():
    """The points behind a finding (baseline and window, at most 60) and the baseline's range: the HTML report
    draws them as a chart under the cause."""
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
