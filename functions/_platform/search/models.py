"""Value types shared by every search backend: index schemas, filters, hits and aggregation buckets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class FieldType(StrEnum):
    DATE = "date"
    KEYWORD = "keyword"
    TEXT = "text"
    INTEGER = "integer"
    VECTOR = "vector"  # float array, stored only: never indexed for kNN


class FieldSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    type: FieldType
    boost: float = Field(default=1.0, gt=0, description="Weight of a text field in BM25 ranking.")


class IndexSchema(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    fields: tuple[FieldSpec, ...]
    time_field: str | None = None

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"index {self.name!r} has no field {name!r}")

    def of_type(self, *types: FieldType) -> list[FieldSpec]:
        return [f for f in self.fields if f.type in types]

    @property
    def text_fields(self) -> list[FieldSpec]:
        return self.of_type(FieldType.TEXT)

    @property
    def exact_fields(self) -> list[FieldSpec]:
        """Fields that filters and term aggregations work on."""
        return self.of_type(FieldType.KEYWORD, FieldType.INTEGER)


class IntRange(BaseModel):
    """A numeric range filter, e.g. `{"status": IntRange(gte=500)}`."""

    gte: int | None = None
    lt: int | None = None


FilterValue = str | int | list[str] | list[int] | IntRange
Filters = dict[str, FilterValue]


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def epoch_ms(moment: datetime) -> int:
    return int(as_utc(moment).timestamp() * 1000)


def from_epoch_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=UTC)


class TimeRange(BaseModel):
    """Half-open interval [start, end); either side may be open."""

    start: datetime | None = None
    end: datetime | None = None

    @model_validator(mode="after")
    def _ordered(self) -> TimeRange:
        if self.start and self.end and as_utc(self.start) > as_utc(self.end):
            raise ValueError("time range start is after its end")
        return self


class Hit(BaseModel):
    id: str
    score: float
    source: dict[str, Any]


class Bucket(BaseModel):
    start: datetime
    count: int


class TermCount(BaseModel):
    value: str | int
    count: int


def fill_buckets(counts: dict[int, int], interval: timedelta, time_range: TimeRange | None) -> list[Bucket]:
    """Turn sparse {bucket_start_ms: count} into a contiguous, zero-filled series.

    Buckets are aligned on multiples of the interval since the epoch, the way OpenSearch's
    `date_histogram` aligns `fixed_interval`, so both backends return identical series.
    """
    step = int(interval.total_seconds() * 1000)
    if step <= 0:
        raise ValueError("interval must be positive")
    keys = sorted(counts)
    first = keys[0] if keys else None
    last = keys[-1] if keys else None
    if time_range and time_range.start is not None:
        first = epoch_ms(time_range.start) // step * step
    if time_range and time_range.end is not None:
        last = (epoch_ms(time_range.end) - 1) // step * step
    if first is None or last is None:
        return []
    return [
        Bucket(start=from_epoch_ms(key), count=counts.get(key, 0)) for key in range(first, last + 1, step)
    ]
