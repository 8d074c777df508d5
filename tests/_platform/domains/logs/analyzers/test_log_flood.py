"""log_flood carries its lines per minute per time bucket over the baseline and the window, and the HTML report
draws it as a chart under the cause."""

from __future__ import annotations

from datetime import timedelta

from log_rates import CONTEXT, START
from log_rates import charted as _charted
from log_rates import requests as _requests

from functions._platform.domains.logs.analyzers.log_flood import LogFlood


def test_a_log_flood_carries_lines_per_minute_per_bucket_and_silence_as_zero():
    silent = (START - timedelta(minutes=30), START - timedelta(minutes=25))
    before = [r for r in _requests(10, range(-60, 0)) if not silent[0] <= r.timestamp < silent[1]]
    (finding,) = LogFlood().analyze(before + _requests(10, range(5)) + _requests(400, range(5, 10)), CONTEXT)
    points, band = _charted(finding)
    assert band == [0.0, 10.0]  # the five silent minutes are a rate of zero, not missing
    assert max(v for _, v in points) == 400.0 and points[-1][1] == 400.0


def test_lines_at_the_usual_rate_are_no_flood():
    assert LogFlood().analyze(_requests(10, range(-60, 10)), CONTEXT) == []
