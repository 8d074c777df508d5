"""The normalised log record every parser produces and every log analyzer reads."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

LEVELS = ("debug", "info", "notice", "warning", "error", "critical", "fatal")
LEVEL_RANK = {name: rank for rank, name in enumerate(LEVELS)}
_LEVEL_ALIASES = {
    "trace": "debug", "dbg": "debug", "information": "info", "informational": "info", "warn": "warning",
    "err": "error", "failure": "error", "severe": "critical", "crit": "critical", "alert": "critical",
    "emerg": "fatal", "emergency": "fatal", "panic": "fatal",
}


def normalise_level(value: str | None) -> str | None:
    if not value:
        return None
    level = value.strip().lower()
    level = _LEVEL_ALIASES.get(level, level)
    return level if level in LEVEL_RANK else None


def is_error_level(level: str | None) -> bool:
    return level is not None and LEVEL_RANK.get(level, 0) >= LEVEL_RANK["error"]


@dataclass(slots=True)
class LogRecord:
    timestamp: datetime
    service: str
    message: str
    raw: str = ""
    level: str | None = None
    host: str | None = None
    source_ip: str | None = None
    user: str | None = None
    status: int | None = None
    path: str | None = None
    method: str | None = None
    latency_ms: int | None = None
    bytes: int | None = None
    program: str | None = None
    pid: int | None = None
    file: str | None = None

    def to_doc(self) -> dict[str, Any]:
        doc = {name: value for name in FIELD_NAMES if (value := getattr(self, name)) is not None}
        doc["timestamp"] = self.timestamp.astimezone(UTC).isoformat()
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> LogRecord:
        values = {key: value for key, value in doc.items() if key in _FIELD_SET}
        offset = doc.get("message_at")
        if "message" not in values and offset is not None and values.get("raw") is not None:
            values["message"] = values["raw"][int(offset):]  # stored once, as the tail of the raw line
        stamp = values.get("timestamp")
        if isinstance(stamp, str):
            stamp = datetime.fromisoformat(stamp)
        elif isinstance(stamp, (int, float)):
            stamp = datetime.fromtimestamp(stamp / 1000, tz=UTC)
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        values["timestamp"] = stamp
        values.setdefault("service", "unknown")
        values.setdefault("message", values.get("raw", ""))
        for name in ("status", "latency_ms", "bytes", "pid"):
            if values.get(name) is not None:
                values[name] = int(values[name])
        return cls(**values)


FIELD_NAMES = tuple(f.name for f in fields(LogRecord))
_FIELD_SET = frozenset(FIELD_NAMES)
