"""logfmt lines (`time=... level=info msg="..." key=value`), as Go services (logrus, go-kit, slog) write them."""

from __future__ import annotations

import re
from datetime import datetime

from functions._platform.domains.logs.source.parsers.contract import ParseContext, level_from_status
from functions._platform.domains.logs.source.parsers.jsonl import parse_timestamp
from functions._platform.domains.logs.source.record import LogRecord, normalise_level

_PAIR = re.compile(r'([\w.@/-]+)=("(?:[^"\\]|\\.)*"|\S*)')
_TIME_KEYS = ("time", "ts", "t", "timestamp", "@timestamp", "date", "datetime")
_MESSAGE_KEYS = ("msg", "message", "event", "log")
_ERROR_KEYS = ("error", "err", "exception")  # the error logrus, go-kit and slog attach beside the message
_RECOGNISED_KEYS = frozenset({*_TIME_KEYS, "level", "lvl", *_MESSAGE_KEYS})


def pairs(line: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in _PAIR.findall(line):
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        values.setdefault(key, value)
    return values


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((values[k] for k in keys if values.get(k)), None)


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value else None
    except ValueError:
        return None


def _is_logfmt(values: dict[str, str]) -> bool:
    """At least two pairs, one of them a time, level or message key."""
    return len(values) >= 2 and not _RECOGNISED_KEYS.isdisjoint(values)


def _level_text(values: dict[str, str]) -> str | None:
    return values.get("level") or values.get("lvl")


def _message(values: dict[str, str]) -> str | None:
    """The message, with the error beside it appended unless the message already says it."""
    message, error = _first(values, _MESSAGE_KEYS), _first(values, _ERROR_KEYS)
    if message and error and error not in message:
        return f"{message}: {error}"
    return message


def _record(line: str, values: dict[str, str], stamp: datetime | None, context: ParseContext) -> LogRecord:
    status = _int(values.get("status"))
    return LogRecord(
        timestamp=stamp,  # type: ignore[arg-type]
        service=context.service or values.get("service") or values.get("app") or context.default_service,
        message=_message(values) or line,
        raw=line,
        level=normalise_level(_level_text(values)) or level_from_status(status),
        host=values.get("host"),
        source_ip=values.get("client_ip") or values.get("remote_addr") or values.get("ip"),
        user=values.get("user"),
        status=status,
        path=values.get("path") or values.get("url"),
        method=values.get("method"),
        latency_ms=_int(values.get("latency_ms") or values.get("duration_ms")),
        file=context.file,
    )


class LogfmtParser:
    name = "logfmt"

    def parse(self, line: str, context: ParseContext) -> LogRecord | None:
        if "=" not in line:
            return None
        values = pairs(line)
        if not _is_logfmt(values):
            return None
        stamp = parse_timestamp(_first(values, _TIME_KEYS))  # None: the reader gives it the previous line's time
        if stamp is None and not (_level_text(values) or _first(values, _MESSAGE_KEYS)):
            return None
        return _record(line, values, stamp, context)
