"""Durations like `15m`, `1h`, `7d`, `2w`, `1y` and timestamps given as RFC 3339 text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 365 * 86400}


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text or "")
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30s, 15m, 1h, 7d, 2w, 1y)")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def parse_time(text: str | datetime) -> datetime:
    if isinstance(text, datetime):
        moment = text
    else:
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError as exc:
            raise ValueError(f"not an RFC 3339 time: {text!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def span(start: str | None, end: str | None, default: timedelta = timedelta(hours=1)) -> tuple[datetime, datetime]:
    """[start, end) from optional texts: end defaults to now, start to `default` before end."""
    end_at = parse_time(end) if end else datetime.now(UTC)
    start_at = parse_time(start) if start else end_at - default
    if start_at > end_at:
        raise ValueError("start is after end")
    return start_at, end_at
