"""The interface of log and auth analyzers and the window arithmetic they share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from functions._platform.domains.logs.source.record import LogRecord, is_error_level
from sreo_events.models import Finding, Severity, TimeWindow

MAX_SAMPLE_CHARS = 300
MAX_EVIDENCE_ITEMS = 20


@dataclass
class AnalysisContext:
    window: TimeWindow  # the incident (or scan) window
    baseline: TimeWindow  # the comparison window, normally just before `window`
    query: str = ""  # the exact query or tool call that produced the records

    @property
    def window_minutes(self) -> float:
        return max((self.window.end - self.window.start).total_seconds() / 60, 1 / 60)

    @property
    def baseline_minutes(self) -> float:
        return max((self.baseline.end - self.baseline.start).total_seconds() / 60, 1 / 60)

    def finding(self, *, kind: str, subject: str, severity: Severity, score: float, summary: str,
                evidence: dict[str, Any], onset: datetime | None = None) -> Finding:
        """A finding over this context's windows, quoting the query that produced the records."""
        return Finding(kind=kind, subject=subject, severity=severity, score=score, summary=summary,
                       window=self.window, baseline=self.baseline, onset=onset, evidence=evidence,
                       query=self.query)


class LogAnalyzer(Protocol):
    kind: str

    def analyze(self, data: Sequence[LogRecord], context: AnalysisContext) -> list[Finding]:
        """Findings for records spanning the baseline and incident windows (oldest first)."""


def windows_before(start: datetime, end: datetime, baseline_factor: float = 6.0) -> AnalysisContext:
    """An incident window and the baseline of `baseline_factor` times its length just before it."""
    length = max(end - start, timedelta(minutes=1))
    return AnalysisContext(
        window=TimeWindow(start=start, end=end),
        baseline=TimeWindow(start=start - length * baseline_factor, end=start),
    )


def from_first_line(context: AnalysisContext, first: datetime | None) -> AnalysisContext:
    """The context with its baseline starting no earlier than the first line there is (its minute): time before
    a file begins is unknown, not quiet, and must not count as a baseline of zero lines."""
    if first is None:
        return context
    first_minute = first.replace(second=0, microsecond=0)
    if first_minute <= context.baseline.start:
        return context
    start = min(first_minute, context.baseline.end)
    return AnalysisContext(window=context.window, baseline=TimeWindow(start=start, end=context.baseline.end),
                           query=context.query)


def split_windows(
    data: Sequence[LogRecord], context: AnalysisContext
) -> tuple[list[LogRecord], list[LogRecord]]:
    """(baseline records, incident records); records outside both windows are dropped."""
    baseline: list[LogRecord] = []
    incident: list[LogRecord] = []
    for record in data:
        if context.window.start <= record.timestamp < context.window.end:
            incident.append(record)
        elif context.baseline.start <= record.timestamp < context.baseline.end:
            baseline.append(record)
    return baseline, incident


def per_service(
    data: Sequence[LogRecord],
    context: AnalysisContext,
    judge: Callable[[str, list[LogRecord], list[LogRecord], AnalysisContext], Finding | None],
) -> list[Finding]:
    """`judge(service, incident records, baseline records, context)` for each service with incident
    records, in service order; the findings it returned."""
    baseline, incident = split_windows(data, context)
    baseline_by_service = by_service(baseline)
    findings = []
    for service, records in sorted(by_service(incident).items()):
        finding = judge(service, records, baseline_by_service.get(service, []), context)
        if finding:
            findings.append(finding)
    return findings


def by_service(records: Sequence[LogRecord]) -> dict[str, list[LogRecord]]:
    grouped: dict[str, list[LogRecord]] = {}
    for record in records:
        grouped.setdefault(record.service, []).append(record)
    return grouped


def is_error(record: LogRecord) -> bool:
    """An error line: a 5xx response in an access log, or an error level or worse in an application log."""
    if record.status is not None:
        return record.status >= 500
    return is_error_level(record.level)


MAX_QUOTED_CHARS = 80


def quoted(value: object) -> str:
    """A value taken from a log line, fit to sit inside a summary: one line, no control characters, bounded,
    in backticks so Markdown shows it as code (renderers still escape it for HTML and terminals)."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value)).replace("`", "'")
    if len(text) > MAX_QUOTED_CHARS:
        text = text[: MAX_QUOTED_CHARS - 1] + "…"
    return f"`{text}`"


def sample_lines(records: Sequence[LogRecord], limit: int = 5) -> list[str]:
    return [(record.raw or record.message)[:MAX_SAMPLE_CHARS] for record in records[:limit]]


def top_counts(values: Sequence[object], limit: int = 5, weights: Sequence[int] | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for index, value in enumerate(values):
        if value is not None:
            counts[str(value)] = counts.get(str(value), 0) + (weights[index] if weights else 1)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return dict(ranked[:limit])
