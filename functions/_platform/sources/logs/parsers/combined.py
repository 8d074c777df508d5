"""NCSA common and combined access logs, with an optional trailing request time."""

from __future__ import annotations

import re
from datetime import datetime

from functions._platform.sources.logs.parsers.base import ParseContext, level_from_status
from functions._platform.sources.logs.record import LogRecord

_LINE = re.compile(
    r'^(?P<ip>\S+) \S+ (?P<user>\S+) \[(?P<time>[^\]]+)\] '
    r'"(?P<method>[A-Z]+) (?P<path>\S+)(?: [^"]*)?" (?P<status>\d{3}) (?P<bytes>\d+|-)'
    r'(?: "(?P<referrer>[^"]*)" "(?P<agent>[^"]*)")?(?: (?P<duration>\d+(?:\.\d+)?))?\s*$'
)


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
            stamp = datetime.strptime(match["time"], "%d/%b/%Y:%H:%M:%S %z")
        except ValueError:
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
