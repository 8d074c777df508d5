"""A service's log lines (or the attempts they record) as a series of time buckets over the baseline and the window, for
a rate finding (see functions/_platform/analyzers/series_evidence.py).

Buckets are whole minutes wide, as few as keep the series within the chart's points, and aligned on the
window's start, so no bucket mixes baseline and incident lines; a bucket cut by the baseline's start is left
out rather than read as a quiet one."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.series_evidence import MAX_POINTS, series_evidence
from functions._platform.domains.logs.source.record import LogRecord


class Timed(Protocol):
    @property
    def timestamp(self) -> datetime: ...


T = TypeVar("T", bound=Timed)
Bucket = tuple[float, float, list[T]]  # (start, covered seconds, the items in it)


def _buckets(records: Sequence[T], context: AnalysisContext) -> list[Bucket[T]]:
    (start, _), (window_start, end) = context.baseline_s, context.window_s
    size = 60.0 * max(1, math.ceil((end - start) / MAX_POINTS / 60))
    first = math.ceil((start - window_start) / size)
    count = math.ceil((end - window_start) / size)
    grouped: dict[int, list[T]] = {index: [] for index in range(first, count)}
    for record in records:
        index = math.floor((record.timestamp.timestamp() - window_start) / size)
        if index in grouped:
            grouped[index].append(record)
    return [(window_start + i * size, min(size, end - (window_start + i * size)), grouped[i]) for i in grouped]


def _series(records: Sequence[T], context: AnalysisContext,
            value: Callable[[float, list[T]], float | None]) -> dict[str, Any]:
    window_start = context.window_s[0]
    history = [(at, v) for at, covered, lines in _buckets(records, context)
               if (v := value(covered, lines)) is not None]
    return series_evidence(history, [v for at, v in history if at < window_start])


def lines_per_minute(records: Sequence[LogRecord], context: AnalysisContext) -> dict[str, Any]:
    """Lines per minute in each bucket, empty buckets included (silence is a rate of zero)."""
    return _series(records, context, lambda covered, lines: len(lines) / (covered / 60))


def error_share(records: Sequence[LogRecord], context: AnalysisContext,
                is_error: Callable[[LogRecord], bool]) -> dict[str, Any]:
    """The share of error lines in each bucket that has lines."""
    return _series(records, context, lambda covered, lines: sum(map(is_error, lines)) / len(lines) if lines else None)


class Weighted(Timed, Protocol):
    @property
    def weight(self) -> int: ...


def weighted_per_minute(items: Sequence[Weighted], context: AnalysisContext) -> dict[str, Any]:
    """What items stand for per minute in each bucket (a log line saying "message repeated 5 times" is five)."""
    return _series(items, context, lambda covered, bucket: sum(item.weight for item in bucket) / (covered / 60))
