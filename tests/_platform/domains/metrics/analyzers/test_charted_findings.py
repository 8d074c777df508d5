"""resource_saturation and metric_change carry the series behind them (baseline and window, at most 60 points,
and the baseline's range), and the HTML report draws each as a chart under the cause."""

from __future__ import annotations

from datetime import timedelta

from test_metric_change import T0, analyze, sampled
from test_metrics_analyzers import TIMES, WINDOW, context

from functions._platform.domains.metrics.analyzers.resource_saturation import ResourceSaturation
from functions._platform.domains.metrics.analyzers.signals import SignalData
from functions._platform.domains.metrics.source import Series
from functions.report.charts import cause_charts

LIMIT = 512 * 2**20
POD = {"namespace": "shop", "pod": "api-1", "container": "api", "service": "api"}


def _memory(used) -> dict[str, SignalData]:
    usage = Series(labels={"__name__": "container_memory_working_set_bytes", **POD},
                   points=[(t, used(t)) for t in TIMES])
    limit = Series(labels={"__name__": "kube_pod_container_resource_limits", "resource": "memory", **POD},
                   points=[(t, float(LIMIT)) for t in TIMES])
    return {"memory": SignalData([usage], "container_memory_working_set_bytes{pod=~\"api-.*\"}"),
            "limits": SignalData([limit], "kube_pod_container_resource_limits{pod=~\"api-.*\"}")}


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
        _memory(lambda t: LIMIT * (0.97 if t >= start + 1800 else 0.4)), context())
    assert finding.kind == "resource_saturation" and finding.evidence["resource"] == "memory"
    _assert_charted(finding, start, peak=0.96, band_high=0.5)


def test_a_metric_change_carries_the_series_that_moved_most():
    [finding] = analyze(sampled("cpu_usage", lambda s: 2.0 if s >= 0 else 1.0), sampled("memory", lambda s: 300.0))
    assert finding.evidence["metrics"][0]["metric"] == "cpu_usage"
    _assert_charted(finding, (T0 - timedelta(minutes=15)).timestamp(), peak=1.9, band_high=1.2)
