"""Reads log records back from the search backend for a service and time window."""

from __future__ import annotations

from datetime import datetime, timedelta

from functions._platform.domains.logs.source.record import LogRecord
from functions._platform.search import (
    LOGS_INDEX,
    Bucket,
    Filters,
    IntRange,
    SearchBackend,
    TermCount,
    TimeRange,
)

PAGE = 5000  # below OpenSearch's default max_result_window
ERROR_LEVELS = ["error", "critical", "fatal"]


def window(start: datetime, end: datetime) -> TimeRange:
    return TimeRange(start=start, end=end)


class LogStore:
    """Log reads over the generic search operations; windows larger than a page are split in time."""

    def __init__(self, backend: SearchBackend, index: str = LOGS_INDEX):
        self.backend = backend
        self.index = index

    def _filters(self, service: str | None, extra: Filters | None = None) -> Filters:
        filters: Filters = dict(extra or {})
        if service:
            filters["service"] = service
        return filters

    def count(self, service: str | None, start: datetime, end: datetime, query: str | None = None) -> int:
        return self.backend.count(self.index, query, filters=self._filters(service), time_range=window(start, end))

    def records(
        self, service: str | None, start: datetime, end: datetime, *, limit: int = 50_000, query: str | None = None
    ) -> tuple[list[LogRecord], bool]:
        """Records in [start, end) oldest first, and whether `limit` cut the window short (newest kept)."""
        filters = self._filters(service)
        hits: list[dict] = []
        truncated = False
        pending = [(start, end)]
        while pending:
            lo, hi = pending.pop()
            total = self.backend.count(self.index, query, filters=filters, time_range=window(lo, hi))
            if total == 0:
                continue
            if len(hits) + min(total, PAGE) > limit:
                truncated = True
                break
            if total <= PAGE or hi - lo <= timedelta(milliseconds=2):
                page = self.backend.search(self.index, query, filters=filters, time_range=window(lo, hi), k=PAGE)
                truncated = truncated or total > len(page)
                hits.extend(hit.source for hit in page)
                continue
            middle = lo + (hi - lo) / 2
            pending.extend([(lo, middle), (middle, hi)])  # newer half first off the stack
        records = [LogRecord.from_doc(doc) for doc in hits]
        records.sort(key=lambda record: record.timestamp)
        return records, truncated

    def services(self, start: datetime | None = None, end: datetime | None = None, size: int = 500) -> list[TermCount]:
        time_range = TimeRange(start=start, end=end) if start or end else None
        return self.backend.terms(self.index, "service", time_range=time_range, size=size)

    def histogram(
        self,
        service: str | None,
        start: datetime,
        end: datetime,
        interval: timedelta,
        *,
        errors_only: bool = False,
        query: str | None = None,
    ) -> list[Bucket]:
        filters = self._filters(service)
        if not errors_only:
            return self.backend.count_over_time(
                self.index, interval, query=query, filters=filters, time_range=window(start, end)
            )
        # an error is an error level (app logs) or a 5xx status (access logs); the two sets overlap
        by_level = self.backend.count_over_time(
            self.index, interval, query=query, filters={**filters, "level": ERROR_LEVELS}, time_range=window(start, end)
        )
        by_status_ok = self.backend.count_over_time(
            self.index, interval, query=query,
            filters={**filters, "level": ERROR_LEVELS, "status": IntRange(gte=500)}, time_range=window(start, end),
        )
        by_status = self.backend.count_over_time(
            self.index, interval, query=query, filters={**filters, "status": IntRange(gte=500)},
            time_range=window(start, end),
        )
        return [
            Bucket(start=a.start, count=a.count + b.count - both.count)
            for a, b, both in zip(by_level, by_status, by_status_ok, strict=True)
        ]

    def latest(self, service: str | None = None) -> datetime | None:
        """Timestamp of the newest stored record."""
        newest = self.backend.search(self.index, None, filters=self._filters(service), k=1)
        return LogRecord.from_doc(newest[0].source).timestamp if newest else None
