"""logfmt lines (`time=... level=info msg="..." key=value`), as Go services (logrus, go-kit, slog) write them."""

from __future__ import annotations

import re

from functions._platform.domains.logs.source.parsers.contract import ParseContext, level_from_status
from functions._platform.domains.logs.source.parsers.jsonl import parse_timestamp
from functions._platform.domains.logs.source.record import LogRecord, normalise_level

_PAIR = re.compile(r'([\w.@/-]+)=("(?:[^"\\]|\\.)*"|\S*)')
_TIME_KEYS = ("time", "ts", "t", "timestamp", "@timestamp", "date", "datetime")
_MESSAGE_KEYS = ("msg", "message", "event", "log")
_ERROR_KEYS = ("error", "err", "exception")  # the error logrus, go-kit and slog attach beside the message


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


class LogfmtParser:
    name = "logfmt"

    def parse(self, line: str, context: ParseContext) -> LogRecord | None:
        if "=" not in line:
            return None
        values = pairs(line)
        if len(values) < 2 or not (set(values) & {*_TIME_KEYS, "level", "lvl", *_MESSAGE_KEYS}):
            return None
        stamp_text = _first(values, _TIME_KEYS)
        stamp = parse_timestamp(stamp_text)  # None: the reader gives it the previous line's time
        if stamp is None and not (values.get("level") or values.get("lvl") or _first(values, _MESSAGE_KEYS)):
            return None
        status = _int(values.get("status"))
        level = normalise_level(values.get("level") or values.get("lvl")) or level_from_status(status)
        message, error = _first(values, _MESSAGE_KEYS), _first(values, _ERROR_KEYS)
        if message and error and error not in message:
            message = f"{message}: {error}"
        return LogRecord(
            timestamp=stamp,  # type: ignore[arg-type]
            service=context.service or values.get("service") or values.get("app") or context.default_service,
            message=message or line,
            raw=line,
            level=level,
            host=values.get("host"),
            source_ip=values.get("client_ip") or values.get("remote_addr") or values.get("ip"),
            user=values.get("user"),
            status=status,
            path=values.get("path") or values.get("url"),
            method=values.get("method"),
            latency_ms=_int(values.get("latency_ms") or values.get("duration_ms")),
            file=context.file,
        )
