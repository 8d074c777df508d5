"""Request lines per minute, and the chart checks, that the rate-based log analyzer tests share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.domains.logs.analyzers.windows import windows_before
from functions._platform.domains.logs.source.record import LogRecord
from functions.report.charts import cause_charts

START = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)  # the incident window: 10 minutes, so 60 minutes of baseline
END = START + timedelta(minutes=10)
CONTEXT = windows_before(START, END)


def requests(per_minute: int, minutes: range, status=lambda minute, i: 200) -> list[LogRecord]:
    return [LogRecord(timestamp=START + timedelta(minutes=m, seconds=i * 60 / per_minute), service="web",
                      message=f"GET /cart {status(m, i)}", status=status(m, i))
            for m in minutes for i in range(per_minute)]


def charted(finding) -> tuple[list, list]:
    points, band = finding.evidence["points"], finding.evidence["baseline_band"]
    assert 10 <= len(points) <= 60 and points == sorted(points)
    assert points[0][0] < START.timestamp() <= points[-1][0] < END.timestamp()
    assert points[0][0] >= CONTEXT.baseline.start.timestamp()
    assert band[0] <= band[1]
    (chart,) = cause_charts({"evidence": [finding.model_dump(mode="json")]})
    assert chart.startswith("<svg") and "<polyline" in chart and 'class="baseline"' in chart
    assert 'class="onset"' in chart
    return points, band
