"""Shapes every metrics provider returns, whatever the backend."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field


class Series(BaseModel):
    """One labelled time series: `labels` includes `__name__`; `points` are (unix seconds, value) in time order."""

    labels: dict[str, str] = Field(default_factory=dict)
    points: list[tuple[float, float]] = Field(default_factory=list)

    @property
    def name(self) -> str:
        return self.labels.get("__name__", "")

    def to_json(self) -> dict[str, Any]:
        return {"labels": self.labels, "points": [[t, _json_float(v)] for t, v in self.points]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Series:
        return cls(labels=data.get("labels", {}),
                   points=[(float(t), float(v)) for t, v in data.get("points", [])])


class MetricsSourceError(RuntimeError):
    """The metrics backend refused or failed a query; the message says why."""


def _json_float(value: float) -> float | str:
    if math.isnan(value) or math.isinf(value):
        return str(value)  # JSON has no NaN/Inf; float("nan"), float("inf") read these back
    return value


def to_unix(value: datetime | float | str) -> float:
    """Unix seconds from a datetime, a number, or an RFC 3339 / numeric string."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.timestamp()
    if isinstance(value, (int, float)):
        return float(value)
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        return to_unix(datetime.fromisoformat(text))


def parse_duration(text: str | float) -> float:
    """Seconds from a Prometheus duration such as `30s`, `5m`, `1h30m`, or a bare number of seconds."""
    if isinstance(text, (int, float)):
        return float(text)
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    total, number = 0.0, ""
    index = 0
    while index < len(text):
        char = text[index]
        if char.isdigit() or char == ".":
            number += char
            index += 1
            continue
        unit = "ms" if text.startswith("ms", index) else char
        if unit not in units or not number:
            raise ValueError(f"invalid duration {text!r}")
        total += float(number) * units[unit]
        number, index = "", index + len(unit)
    if number:
        raise ValueError(f"invalid duration {text!r}: trailing number without a unit")
    return total
