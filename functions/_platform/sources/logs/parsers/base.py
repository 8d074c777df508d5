"""The line-parser interface and the context every parser receives."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from functions._platform.sources.logs.record import LogRecord, normalise_level

IPV4 = r"(?:\d{1,3}\.){3}\d{1,3}"
IPV6 = r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"
IP_RE = re.compile(rf"^(?:{IPV4}|{IPV6})$")
_LEADING_LEVEL = re.compile(
    r"^\W{0,2}(debug|info|notice|warn(?:ing)?|error|err|crit(?:ical)?|fatal|severe|alert|emerg|panic)\b\W?",
    re.IGNORECASE,
)


@dataclass
class ParseContext:
    service: str | None = None  # forced service name; parsers otherwise pick program or file stem
    default_service: str = "unknown"
    file: str | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))  # for year-less timestamps


class LineParser(Protocol):
    name: str

    def parse(self, line: str, context: ParseContext) -> LogRecord | None:
        """A record, or None when the line is not in this parser's format."""


def is_ip(value: str | None) -> bool:
    return bool(value) and bool(IP_RE.match(value))


def level_from_text(message: str) -> str | None:
    """A level spelled at the start of the message (`error: ...`, `[WARN] ...`), if any."""
    match = _LEADING_LEVEL.match(message)
    return normalise_level(match.group(1)) if match else None


def level_from_status(status: int | None) -> str:
    if status is None:
        return "info"
    if status >= 500:
        return "error"
    if status >= 400:
        return "warning"
    return "info"
