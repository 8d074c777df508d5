"""Compute a toil report from the store: the period, the facts in it, the pure core over them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from functions._platform.domains.logs.source.timeparse import parse_duration
from functions.toil.collect import collect
from functions.toil.measure import compute
from functions.toil.schema import ToilOptions, ToilReport

DEFAULT_SINCE = "7d"


def build_report(session: Session, since: str | None = None, until: datetime | None = None,
                 options: ToilOptions | None = None) -> ToilReport:
    """The report over [until - since, until); `since` is a duration such as `7d` (ValueError when it is not)."""
    span = parse_duration(since or DEFAULT_SINCE)
    if span.total_seconds() <= 0:
        raise ValueError(f"the period must be longer than zero, got {since!r}")
    end = until or datetime.now(UTC)
    start = end - span
    return compute(collect(session, start, end), start, end, options)
