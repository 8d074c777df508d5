"""The incident and baseline windows of log records: the usual context, where a file's history begins, and the
records of each window by service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.domains.logs.source.record import LogRecord
from sreo_events.models import Finding, TimeWindow


def windows_before(start: datetime, end: datetime) -> AnalysisContext:
    """The window from `start` to `end` with the logs baseline policy (functions/_platform/analyzers/baseline.py)."""
    return AnalysisContext.around("logs", TimeWindow(start=start, end=end))


def from_first_line(context: AnalysisContext, first: datetime | None) -> AnalysisContext:
    """The context with its baseline starting no earlier than the first line there is (its minute): time before
    a file begins is unknown, not quiet, and must not count as a baseline of zero lines."""
    if first is None:
        return context
    first_minute = first.replace(second=0, microsecond=0)
    if first_minute <= context.baseline.start:
        return context
    start = min(first_minute, context.baseline.end)
    return context.but(baseline=TimeWindow(start=start, end=context.baseline.end))


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
