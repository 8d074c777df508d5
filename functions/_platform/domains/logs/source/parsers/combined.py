"""NCSA common and combined access logs, with an optional trailing request time."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from functions._platform.domains.logs.source.parsers.contract import ParseContext, level_from_status
from functions._platform.domains.logs.source.record import LogRecord

_LINE = re.compile(
    r'^(?P<ip>\S+) \S+ (?P<user>\S+) \[(?P<time>[^\]]+)\] '
    r'"(?P<method>[A-Z]+) (?P<path>\S+)(?: [^"]*)?" (?P<status>\d{3}) (?P<bytes>\d+|-)'
    r'(?: "(?P<referrer>[^"]*)" "(?P<agent>[^"]*)")?(?: (?P<duration>\d+(?:\.\d+)?))?\s*$'
)


_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
_ZONES: dict[str, timezone] = {}


def parse_clf_time(text: str) -> datetime:
    """`17/May/2015:10:05:03 +0000`, without strptime's per-call overhead."""
    day, month, rest = text.split("/", 2)
    year, hour, minute, second_zone = rest.split(":", 3)
    second, _, zone = second_zone.partition(" ")
    tz = _ZONES.get(zone)
    if tz is None:
        sign = -1 if zone.startswith("-") else 1
        tz = _ZONES[zone] = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])))
    return datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=tz)


def _latency_ms(duration: str | None) -> int | None:
    if duration is None:
        return None
    if "." in duration:  # nginx $request_time, seconds
        return round(float(duration) * 1000)
    return round(int(duration) / 1000)  # Apache %D, microseconds


class CombinedParser:
    name = "combined"

    def parse(self, line: str, context: ParseContext) -> LogRecord | None:
        match = _LINE.match(line)
        if not match:
            return None
        try:
            stamp = parse_clf_time(match["time"])
        except (ValueError, KeyError, IndexError):
            return None
        status = int(match["status"])
        path = match["path"].split("?", 1)[0]
        return LogRecord(
            timestamp=stamp,
            service=context.service or context.default_service,
            message=f'{match["method"]} {path} {status}',
            raw=line,
            level=level_from_status(status),
            source_ip=match["ip"],
            user=None if match["user"] == "-" else match["user"],
            status=status,
            path=path,
            method=match["method"],
            bytes=None if match["bytes"] == "-" else int(match["bytes"]),
            latency_ms=_latency_ms(match["duration"]),
            file=context.file,
        )
