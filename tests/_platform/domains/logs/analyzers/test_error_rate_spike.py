"""error_rate_spike carries its error share per time bucket over the baseline and the window, and the HTML
report draws it as a chart under the cause."""

from __future__ import annotations

from log_rates import CONTEXT, START
from log_rates import charted as _charted
from log_rates import requests as _requests

from functions._platform.domains.logs.analyzers.error_rate_spike import ErrorRateSpike


def test_an_error_rate_spike_carries_the_error_share_per_bucket():
    def failing(minute: int, i: int) -> int:
        return 503 if minute >= 4 and i % 2 == 0 else 200

    records = _requests(20, range(-60, 10), failing)
    (finding,) = ErrorRateSpike().analyze(records, CONTEXT)
    points, band = _charted(finding)
    assert band == [0.0, 0.0]
    window = [v for t, v in points if t >= START.timestamp()]
    assert max(window) == 0.5 and window[0] == 0.0  # the onset inside the window, from a clean start


def test_errors_at_the_baseline_share_are_no_spike():
    def steady(minute: int, i: int) -> int:
        return 503 if i % 10 == 0 else 200

    assert ErrorRateSpike().analyze(_requests(20, range(-60, 10), steady), CONTEXT) == []
