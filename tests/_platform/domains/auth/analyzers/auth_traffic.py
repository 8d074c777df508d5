"""Log records the auth analyzer tests build: HTTP logins, application lines and an hour of quiet traffic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.domains.logs.analyzers.windows import windows_before
from functions._platform.domains.logs.source.record import LogRecord

END = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
START = END - timedelta(hours=1)
CONTEXT = windows_before(START, END)


def http(at: datetime, status: int, ip: str, path: str = "/login", user: str | None = None,
         method: str = "POST") -> LogRecord:
    return LogRecord(timestamp=at, service="shop", message=f"{method} {path} {status}", status=status,
                     source_ip=ip, path=path, method=method, user=user)


def app(at: datetime, message: str, service: str = "gateway") -> LogRecord:
    return LogRecord(timestamp=at, service=service, message=message, level="warning")


def quiet_traffic() -> list[LogRecord]:
    """Seven hours of normal logins: mostly successes and the odd typo."""
    records = []
    at = CONTEXT.baseline.start
    i = 0
    while at < END:
        ip = f"192.0.2.{i % 50}"
        records.append(http(at, 401 if i % 40 == 0 else 302, ip, user=f"user{i % 50}"))
        records.append(http(at, 200, ip, path="/products", method="GET"))
        at += timedelta(seconds=60)
        i += 1
    return records
