from __future__ import annotations

import pytest
from metric_series import T0, context, requests

from functions._platform.domains.metrics.analyzers.error_ratio_spike import ErrorRatioSpike


def test_error_ratio_spike_is_found_with_its_onset():
    spike_at = T0 + 9000
    (finding,) = ErrorRatioSpike().analyze(requests(lambda t: 0.3 if t > spike_at else 0.01), context())
    assert finding.evidence["error_ratio"] == pytest.approx(0.3, abs=0.01)
    assert finding.evidence["baseline_ratio_median"] == pytest.approx(0.01, abs=0.001)
    assert abs(finding.onset.timestamp() - spike_at) <= 300
    assert finding.severity == "critical"


def test_steady_error_ratio_is_no_spike():
    assert ErrorRatioSpike().analyze(requests(lambda t: 0.05), context()) == []
