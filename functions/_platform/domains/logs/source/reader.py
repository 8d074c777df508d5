"""Lines to records for any file: the file's parser first, then any timestamp layout, and never a line dropped.

A line with no timestamp either continues the record before it (stack frames, `Caused by:`, indented text)
and is joined to it, or stands as its own record at the previous record's time (the file's time when no
line before had one). Both are counted, so the summary says how much of the file was timed by inference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from functions._platform.domains.logs.source.parsers import CONTINUED, ParseContext, get_parser
from functions._platform.domains.logs.source.parsers.contract import auth_fields
from functions._platform.domains.logs.source.parsers.text import find_level
from functions._platform.domains.logs.source.record import LogRecord

MAX_JOINED_LINES = 500
MAX_RECORD_CHARS = 16_000
_CONTINUATION = re.compile(
    r"^(?:[ \t]|at |Caused by\b|Suppressed:|\.\.\. \d+ (?:more|common)|Traceback \(|During handling of|"
    r"[\w.$]+(?:Exception|Error|Throwable)\b(?::|$)|[}\])]+,?$)"
)


@dataclass
class ReadStats:
    lines: int = 0
    records: int = 0
    blank: int = 0
    untimed: int = 0  # records that carry no timestamp of their own
    joined: int = 0  # lines appended to the record before them
    file_time_used: int = 0  # records timed by the file's modification time (no earlier line had a time)
    first_time: datetime | None = None
    last_time: datetime | None = None
    formats: dict[str, int] = field(default_factory=dict)  # lines per layout that read them

    def format_share(self) -> dict[str, float]:
        total = sum(self.formats.values()) or 1
        return {name: round(count / total, 4) for name, count in sorted(self.formats.items(), key=lambda kv: -kv[1])}


@dataclass(slots=True)
class Entry:
    record: LogRecord
    line_no: int
    line_count: int = 1


def _untimed(line: str, context: ParseContext) -> LogRecord:
    level, start = find_level(line, 0)
    message = line[start:].strip() if level else line.strip()
    source, user = auth_fields(message)
    return LogRecord(timestamp=None, service=context.service or context.default_service,  # type: ignore[arg-type]
                     message=message or line, raw=line, level=level or "info", source_ip=source, user=user,
                     file=context.file)


class RecordReader:
    """Reads one file's lines into entries; `file_time` times the lines before the first timestamp."""

    def __init__(self, fmt: str, context: ParseContext, file_time: datetime):
        self.fmt = fmt
        self.parser = get_parser(fmt)
        self.fallback = get_parser("text")
        self.context = context
        self.file_time = file_time
        self.stats = ReadStats()
        self._last_time: datetime | None = None

    def _parse(self, text: str) -> tuple[object, str]:
        parsed = self.parser.parse(text, self.context)
        if parsed is None and self.parser is not self.fallback:
            return self.fallback.parse(text, self.context), "text"
        return parsed, self.fmt

    def _finish(self, entry: Entry) -> Entry:
        stats = self.stats
        stamp = entry.record.timestamp
        stats.records += 1
        if stats.first_time is None or stamp < stats.first_time:
            stats.first_time = stamp
        if stats.last_time is None or stamp > stats.last_time:
            stats.last_time = stamp
        return entry

    def read(self, lines: Iterable[str]) -> Iterator[Entry]:
        stats, formats = self.stats, self.stats.formats
        pending: Entry | None = None
        for line_no, line in enumerate(lines, start=1):
            stats.lines += 1
            text = line.rstrip("\r\n")
            if not text or text.isspace():
                stats.blank += 1
                continue
            parsed, used = self._parse(text)
            if parsed is CONTINUED:
                stats.joined += 1
                formats[used] = formats.get(used, 0) + 1
                continue
            if parsed is None:
                if pending is not None and _CONTINUATION.match(text) and pending.line_count < MAX_JOINED_LINES:
                    self._join(pending, text)
                    continue
                parsed, used = _untimed(text, self.context), "untimed"
            record: LogRecord = parsed  # type: ignore[assignment]
            formats[used] = formats.get(used, 0) + 1
            if record.timestamp is None:
                stats.untimed += 1
                if self._last_time is None:
                    stats.file_time_used += 1
                record.timestamp = self._last_time or self.file_time
            else:
                self._last_time = record.timestamp
            if pending is not None:
                yield self._finish(pending)
            pending = Entry(record, line_no)
        if pending is not None:
            yield self._finish(pending)

    def _join(self, entry: Entry, text: str) -> None:
        self.stats.joined += 1
        self.stats.formats["joined"] = self.stats.formats.get("joined", 0) + 1
        entry.line_count += 1
        record = entry.record
        if len(record.raw) < MAX_RECORD_CHARS:
            record.raw = f"{record.raw}\n{text}"
            record.message = f"{record.message}\n{text}"
