"""RFC 3164 syslog lines (and the ISO-timestamped variant rsyslog writes), with sshd/pam fields pulled out."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from functions._platform.sources.logs.parsers.base import ParseContext, is_ip, level_from_text
from functions._platform.sources.logs.record import LEVELS, LogRecord

_BSD = re.compile(
    r"^(?:<(?P<pri>\d{1,3})>)?(?P<mon>[A-Z][a-z]{2}) +(?P<day>\d{1,2}) (?P<clock>\d{2}:\d{2}:\d{2}) "
    r"(?P<host>\S+) (?P<program>[^\s:\[]+)(?:\[(?P<pid>\d+)\])?: ?(?P<msg>.*)$"
)
_ISO = re.compile(
    r"^(?:<(?P<pri>\d{1,3})>)?(?P<iso>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?) "
    r"(?P<host>\S+) (?P<program>[^\s:\[]+)(?:\[(?P<pid>\d+)\])?: ?(?P<msg>.*)$"
)
_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
_SYSLOG_SEVERITY = ("fatal", "critical", "critical", "error", "warning", "notice", "info", "debug")
_SOURCE = re.compile(r"(?:\bfrom |\brhost=|\[)(?P<ip>[0-9A-Fa-f:.]{7,45})(?:\]| |$)")
_USER = re.compile(
    r"(?:\bfor (?:invalid )?user |\bfor (?=\S+ from )|\b[Ii]nvalid user |\buser=|\buser )(?P<user>[^\s;,\[\]()]+)"
)
_FAILED_FOR = re.compile(r"\bFailed \w+ for (?:invalid user )?(?P<user>\S+) from ")


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


def _fields_from_message(message: str) -> tuple[str | None, str | None]:
    source = next((m["ip"] for m in _SOURCE.finditer(message) if is_ip(m["ip"])), None)
    failed = _FAILED_FOR.search(message)
    if failed:
        return source, failed["user"]
    user = _USER.search(message)
    name = user["user"] if user else None
    return source, None if name in ("unknown", "from", "by") else name


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
                match = _ISO.match(line)
                if not match:
                    return None
                stamp = datetime.fromisoformat(match["iso"])
                stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
        except ValueError:
            return None
        message = match["msg"]
        level = _SYSLOG_SEVERITY[int(match["pri"]) % 8] if match["pri"] else level_from_text(message)
        source, user = _fields_from_message(message)
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
            pid=int(match["pid"]) if match["pid"] else None,
            file=context.file,
        )
