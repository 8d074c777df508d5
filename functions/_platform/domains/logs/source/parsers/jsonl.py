"""JSON lines from structured loggers (zap, logrus, structlog, pino, ECS...)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from functions._platform.domains.logs.source.parsers.contract import ParseContext, level_from_status
from functions._platform.domains.logs.source.record import LogRecord, normalise_level
from functions._platform.domains.logs.source.timestamps import Found, find_timestamp, parse_iso

_KEYS: dict[str, tuple[str, ...]] = {
    "timestamp": ("@timestamp", "timestamp", "time", "ts", "t", "date", "datetime"),
    "level": ("level", "lvl", "severity", "log.level", "loglevel", "levelname"),
    "message": ("message", "msg", "log", "event", "text"),
    "service": ("service", "service.name", "app", "application", "component", "logger"),
    "host": ("host", "hostname", "host.name", "node"),
    "source_ip": ("source_ip", "client_ip", "remote_addr", "remote_ip", "ip", "client.ip", "source.ip"),
    "user": ("user", "username", "user_id", "user.name", "sub"),
    "status": ("status", "status_code", "http.status_code", "http.response.status_code", "res.statusCode", "code"),
    "path": ("path", "url", "uri", "route", "url.path", "req.url"),
    "method": ("method", "http.method", "http.request.method", "req.method"),
    "latency_ms": ("latency_ms", "duration_ms", "elapsed_ms", "response_time_ms", "took", "responseTime"),
    "program": ("program", "process", "process.name"),
    # the error a structured logger attaches beside its message (zap and logrus `error`, pino `err`, ECS
    # `error.message`): often the only place the line says what failed
    "error": ("error.message", "err.message", "error", "err", "exception"),
}


def _lookup(doc: dict[str, Any], dotted: str) -> Any:
    if dotted in doc:
        return doc[dotted]
    value: Any = doc
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _first(doc: dict[str, Any], field: str) -> Any:
    for key in _KEYS[field]:
        value = _lookup(doc, key)
        if value not in (None, "") and not isinstance(value, (dict, list)):
            return value
    return None


def parse_timestamp(value: Any) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        return datetime.fromtimestamp(seconds, tz=UTC)
    if isinstance(value, str):
        text = value.strip()
        if text.replace(".", "", 1).isdigit():
            return parse_timestamp(float(text))
        found = parse_iso(text) or find_timestamp(text, datetime.now(UTC))
        return found.timestamp if isinstance(found, Found) else found
    return None


# pino and bunyan write the level as a number
NUMERIC_LEVELS = ((60, "fatal"), (50, "error"), (40, "warning"), (30, "info"), (20, "debug"), (10, "debug"))


def _level(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return next((name for floor, name in NUMERIC_LEVELS if value >= floor), None)
    return normalise_level(_text(value))


def _int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value) if not isinstance(value, (dict, list)) else json.dumps(value)


class JsonLinesParser:
    name = "json"

    def parse(self, line: str, context: ParseContext) -> LogRecord | None:
        if not line.lstrip().startswith("{"):
            return None
        try:
            doc = json.loads(line)
        except json.JSONDecodeError:
            return None
        if not isinstance(doc, dict):
            return None
        stamp = parse_timestamp(_first(doc, "timestamp"))  # None: the reader gives it the previous line's time
        status = _int(_first(doc, "status"))
        level = _level(_first(doc, "level")) or (level_from_status(status) if status else "info")
        message = _text(_first(doc, "message"))
        error = _text(_first(doc, "error"))
        if message and error and error not in message:
            message = f"{message}: {error}"
        return LogRecord(
            timestamp=stamp,  # type: ignore[arg-type]
            service=context.service or _text(_first(doc, "service")) or context.default_service,
            message=message or line,
            raw=line,
            level=level,
            host=_text(_first(doc, "host")),
            source_ip=_text(_first(doc, "source_ip")),
            user=_text(_first(doc, "user")),
            status=status,
            path=_text(_first(doc, "path")),
            method=_text(_first(doc, "method")),
            latency_ms=_int(_first(doc, "latency_ms")),
            program=_text(_first(doc, "program")),
            file=context.file,
        )
