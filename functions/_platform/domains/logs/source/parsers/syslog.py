"""RFC 3164 syslog lines (and the ISO-timestamped variant rsyslog writes), with sshd/pam fields pulled out."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from functions._platform.domains.logs.source.parsers.contract import (
    ParseContext,
    auth_fields,
    level_from_text,
)
from functions._platform.domains.logs.source.record import LEVELS, LogRecord
from functions._platform.domains.logs.source.timestamps import parse_iso

_BSD = re.compile(
    r"^(?:<(?P<pri>\d{1,3})>)?(?P<mon>[A-Z][a-z]{2}) +(?P<day>\d{1,2}) (?P<clock>\d{2}:\d{2}:\d{2}) "
    r"(?P<host>\S+) (?:-- )?(?P<program>[^\s:\[]+)(?:\[(?P<pid>\d+)\])?: ?(?P<msg>.*)$"
)
_ISO = re.compile(
    r"^(?:<(?P<pri>\d{1,3})>)?(?P<iso>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?) "
    r"(?P<host>\S+) (?P<program>[^\s:\[]+)(?:\[(?P<pid>\d+)\])?: ?(?P<msg>.*)$"
)
_RFC5424 = re.compile(
    r"^<(?P<pri>\d{1,3})>\d{1,2} (?P<iso>\S+) (?P<host>\S+) (?P<program>\S+) (?P<pid>\S+) \S+ "
    r"(?:-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(?P<msg>.*)$"
)
_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
_SYSLOG_SEVERITY = ("fatal", "critical", "critical", "error", "warning", "notice", "info", "debug")


def infer_year(month: int, day: int, clock: str, now: datetime) -> datetime:
    """The latest year that does not put a year-less timestamp in the future."""
    hour, minute, second = (int(part) for part in clock.split(":"))
    for year in range(now.year, now.year - 8, -1):
        try:
            stamp = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        except ValueError:  # 29 February in a common year
            continue
        if stamp <= now:
            return stamp
    raise ValueError(f"cannot place {month}/{day} {clock} before {now.isoformat()}")


class SyslogParser:
    name = "syslog"

    def parse(self, line: str, context: ParseContext) -> LogRecord | None:
        match = _BSD.match(line)
        try:
            if match:
                month = _MONTHS.get(match["mon"])
                if month is None:
                    return None
                stamp = infer_year(month, int(match["day"]), match["clock"], context.now)
            else:
                match = _ISO.match(line) or _RFC5424.match(line)
                if not match or match["iso"] == "-":
                    return None
                parsed = parse_iso(match["iso"])
                if parsed is None:
                    return None
                stamp = parsed
        except ValueError:
            return None
        message = match["msg"]
        level = _SYSLOG_SEVERITY[int(match["pri"]) % 8] if match["pri"] else level_from_text(message)
        source, user = auth_fields(message)
        return LogRecord(
            timestamp=stamp,
            service=context.service or match["program"],
            message=message,
            raw=line,
            level=level if level in LEVELS else "info",
            host=match["host"],
            source_ip=source,
            user=user,
            program=match["program"],
            pid=int(match["pid"]) if match["pid"] and match["pid"].isdigit() else None,
            file=context.file,
        )
