"""Plain application logs: a timestamp somewhere near the start, an optional level word, then the message.

Covers Apache error logs (`[Sun Dec 04 04:47:44 2005] [error] ...`), `2024-05-01 12:00:00,123 ERROR ...`
style loggers and supercomputer RAS logs whose timestamps use `2005-06-03-15.42.50.675872`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from functions._platform.sources.logs.parsers.base import ParseContext
from functions._platform.sources.logs.record import LogRecord, normalise_level

_STAMPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})[T -](\d{2})[:.](\d{2})[:.](\d{2})(?:[.,](\d{1,6}))?"), "numeric"),
    (re.compile(r"\[?(?:[A-Z][a-z]{2} )?([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}:\d{2}:\d{2})(?:\.\d+)? (\d{4})\]?"), "ctime"),
)
_LEVEL_WORD = re.compile(
    r"(?:^|\s|\[)(DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|CRITICAL|CRIT|FATAL|ALERT|EMERG|PANIC|FAILURE"
    r"|debug|info|notice|warn|warning|error|crit|alert|emerg)(?:\]|:|\s|$)"
)
_HEAD_CHARS = 120  # the level word must sit near the start, not inside the message


def _stamp(line: str) -> tuple[datetime, int] | None:
    head = line[:_HEAD_CHARS]
    for pattern, kind in _STAMPS:
        match = pattern.search(head)
        if not match:
            continue
        try:
            if kind == "numeric":
                year, month, day, hour, minute, second, fraction = match.groups()
                micro = int((fraction or "0").ljust(6, "0"))
                stamp = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro, UTC)
            else:
                month, day, clock, year = match.groups()
                stamp = datetime.strptime(f"{year} {month} {day} {clock}", "%Y %b %d %H:%M:%S").replace(tzinfo=UTC)
        except ValueError:
            continue
        return stamp, match.end()
    return None


class TextParser:
    name = "text"

    def parse(self, line: str, context: ParseContext) -> LogRecord | None:
        found = _stamp(line)
        if found is None:
            return None
        stamp, after = found
        level_match = _LEVEL_WORD.search(line, after, after + _HEAD_CHARS)
        if level_match:
            level = normalise_level(level_match.group(1))
            message = line[level_match.end():].strip()
        else:
            level, message = None, line[after:].strip(" ]")
        return LogRecord(
            timestamp=stamp,
            service=context.service or context.default_service,
            message=message or line,
            raw=line,
            level=level or "info",
            file=context.file,
        )
