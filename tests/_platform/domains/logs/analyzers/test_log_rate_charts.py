"""The rate-based log findings (error_rate_spike, log_flood, brute_force) carry their series per time bucket over the
baseline and the window, and the HTML report draws each as a chart under the cause."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.domains.auth.analyzers.brute_force import BruteForce
from functions._platform.domains.logs.analyzers.error_rate_spike import ErrorRateSpike
from functions._platform.domains.logs.analyzers.log_flood import LogFlood
from functions._platform.domains.logs.analyzers.windows import windows_before
from functions._platform.domains.logs.source.record import LogRecord
from functions.report.charts import cause_charts

START = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)  # the incident window: 10 minutes, so 60 minutes of baseline
END = START + timedelta(minutes=10)
CONTEXT = windows_before(START, END)


def _requests(per_minute: int, minutes: range, status=lambda minute, i: 200) -> list[LogRecord]:
    return [LogRecord(timestamp=START + timedelta(minutes=m, seconds=i * 60 / per_minute), service="web",
                      message=f"GET /cart {status(m, i)}", status=status(m, i))
            for m in minutes for i in range(per_minute)]


def _charted(finding) -> tuple[list, list]:
    points, band = finding.evidence["points"], finding.evidence["baseline_band"]
    assert 10 <= len(points) <= 60 and points == sorted(points)
    assert points[0][0] < START.timestamp() <= points[-1][0] < END.timestamp()
    assert points[0][0] >= CONTEXT.baseline.start.timestamp()
    assert band[0] <= band[1]
    (chart,) = cause_charts({"evidence": [finding.model_dump(mode="json")]})
    assert chart.startswith("<svg") and "<polyline" in chart and 'class="baseline"' in chart
    assert 'class="onset"' in chart
    return points, band


def test_an_error_rate_spike_carries_the_error_share_per_bucket():
    def failing(minute: int, i: int) -> int:
        return 503 if minute >= 4 and i % 2 == 0 else 200

    records = _requests(20, range(-60, 10), failing)
    (finding,) = ErrorRateSpike().analyze(records, CONTEXT)
    points, band = _charted(finding)
    assert band == [0.0, 0.0]
    window = [v for t, v in points if t >= START.timestamp()]
    assert max(window) == 0.5 and window[0] == 0.0  # the onset inside the window, from a clean start


def test_a_log_flood_carries_lines_per_minute_per_bucket_and_silence_as_zero():
    silent = (START - timedelta(minutes=30), START - timedelta(minutes=25))
    before = [r for r in _requests(10, range(-60, 0)) if not silent[0] <= r.timestamp < silent[1]]
    (finding,) = LogFlood().analyze(before + _requests(10, range(5)) + _requests(400, range(5, 10)), CONTEXT)
    points, band = _charted(finding)
    assert band == [0.0, 10.0]  # the five silent minutes are a rate of zero, not missing
    assert max(v for _, v in points) == 400.0 and points[-1][1] == 400.0


def test_a_brute_force_carries_its_sources_failures_per_minute_from_the_baseline_on():
    def failed(at: datetime, source: str) -> LogRecord:
        return LogRecord(timestamp=at, service="web", message="POST /login 401", status=401, source_ip=source,
                         path="/login", method="POST", user="admin")

    probe = [failed(START - timedelta(minutes=30, seconds=-i), "203.0.113.9") for i in range(2)]
    attack = [failed(START + timedelta(minutes=2, seconds=2 * i), "203.0.113.9") for i in range(60)]
    other = [failed(START + timedelta(minutes=m), "198.51.100.4") for m in range(-50, 10, 20)]  # not a burst
    (finding,) = BruteForce().analyze(sorted(probe + attack + other, key=lambda r: r.timestamp), CONTEXT)
    points, band = _charted(finding)
    assert band == [0.0, 1.0]  # the source's two probes, half an hour before, in one two-minute bucket
    assert max(v for _, v in points) == 30.0  # sixty failures in two minutes; the other source is not counted
