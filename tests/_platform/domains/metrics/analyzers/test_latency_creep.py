"""latency_creep on small constructed series: the planted creep is found, its absence yields nothing."""

from __future__ import annotations

import math

import pytest
from metric_series import BASELINE, STEP, WINDOW, context, gauge, in_window

from functions._platform.domains.metrics.analyzers.latency_creep import LatencyCreep
from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping


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
