from __future__ import annotations

from datetime import UTC, datetime, timedelta

from auth_traffic import CONTEXT, START, http, quiet_traffic

from functions._platform.domains.auth.analyzers.auth_failure_spike import AuthFailureSpike
from functions._platform.domains.auth.analyzers.brute_force import BruteForce
from functions._platform.domains.logs.analyzers.windows import windows_before
from functions._platform.domains.logs.source.record import LogRecord
from functions.report.charts import cause_charts


def test_http_401_burst_from_one_source_is_brute_force_and_spike() -> None:
    records = quiet_traffic()
    records += [http(START + timedelta(minutes=10, seconds=3 * i), 401, "203.0.113.50", user="alice")
                for i in range(60)]
    records.sort(key=lambda r: r.timestamp)
    brute = BruteForce().analyze(records, CONTEXT)
    assert [(f.subject, f.evidence["source_ip"], f.evidence["attempts"]) for f in brute] == [
        ("shop", "203.0.113.50", 60)]
    spike = AuthFailureSpike().analyze(records, CONTEXT)
    assert len(spike) == 1 and spike[0].evidence["path"] == "/login" and spike[0].evidence["failures"] >= 60


def test_a_brute_force_carries_its_sources_failures_per_minute_from_the_baseline_on() -> None:
    start = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)  # a 10-minute window, so 60 minutes of baseline
    context = windows_before(start, start + timedelta(minutes=10))

    def failed(at: datetime, source: str) -> LogRecord:
        return LogRecord(timestamp=at, service="web", message="POST /login 401", status=401, source_ip=source,
                         path="/login", method="POST", user="admin")

    probe = [failed(start - timedelta(minutes=30, seconds=-i), "203.0.113.9") for i in range(2)]
    attack = [failed(start + timedelta(minutes=2, seconds=2 * i), "203.0.113.9") for i in range(60)]
    other = [failed(start + timedelta(minutes=m), "198.51.100.4") for m in range(-50, 10, 20)]  # not a burst
    (finding,) = BruteForce().analyze(sorted(probe + attack + other, key=lambda r: r.timestamp), context)
    points, band = finding.evidence["points"], finding.evidence["baseline_band"]
    assert 10 <= len(points) <= 60 and points[0][0] < start.timestamp() <= points[-1][0]
    assert band == [0.0, 1.0]  # the source's two probes, half an hour before, in one two-minute bucket
    assert max(v for _, v in points) == 30.0  # sixty failures in two minutes; the other source is not counted
    (chart,) = cause_charts({"evidence": [finding.model_dump(mode="json")]})
    assert chart.startswith("<svg") and "<polyline" in chart and 'class="onset"' in chart
