"""Error-level log lines the error-class and log-latency analyzer tests build."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.domains.logs.source.record import LogRecord

START = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


def records(service: str, messages: list[str], start: datetime, step_s: float = 20) -> list[LogRecord]:
    return [LogRecord(timestamp=start + timedelta(seconds=step_s * i), service=service, message=m, level="error")
            for i, m in enumerate(messages)]
