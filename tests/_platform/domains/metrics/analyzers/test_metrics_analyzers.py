"""The statistics the metrics analyzers share; each analyzer's own tests are in test_<module>.py beside this file."""

from __future__ import annotations

import math

import pytest

from functions._platform.domains.metrics.analyzers.stats import histogram_quantile, robust_z, theil_sen


def test_stats_helpers():
    slope, intercept, agreement = theil_sen([(0, 1.0), (1, 3.0), (2, 5.0), (3, 100.0), (4, 9.0)])
    assert (slope, intercept) == (2.0, 1.0) and agreement == 0.9  # one falling pair, from the outlier
    assert histogram_quantile(0.5, {0.1: 50, 0.2: 100, math.inf: 100}) == pytest.approx(0.1)
    assert histogram_quantile(0.75, {0.1: 50, 0.2: 100, math.inf: 100}) == pytest.approx(0.15)
    assert histogram_quantile(0.99, {0.1: 50, math.inf: 100}) == 0.1
    assert robust_z(0.5, [0.01, 0.01, 0.01], min_sigma=0.01) == pytest.approx(49.0)
