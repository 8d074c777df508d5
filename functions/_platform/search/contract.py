"""The search interface every backend implements, and the document rules they share."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol, runtime_checkable

from .models import (
    Bucket,
    FieldSpec,
    FieldType,
    Filters,
    Hit,
    IndexSchema,
    TermCount,
    TimeRange,
    as_utc,
    epoch_ms,
    from_epoch_ms,
)

Operator = Literal["or", "and"]

_TERM = re.compile(r"[^\W_]+")


@runtime_checkable
class SearchBackend(Protocol):
    """Full-text search with filters and time aggregations over named indexes (logs, runbooks).

    Text is split on anything that is not a letter or digit, lower-cased and Porter-stemmed;
    ranking is BM25 with per-field boosts from the index schema. Filters match keyword and
    integer fields exactly (a list means any of; `IntRange` a numeric range). Time ranges are
    half-open [start, end) on the schema's time field.
    """

    name: str

    def ensure_index(self, index: str) -> None: ...

    def delete_index(self, index: str) -> None: ...

    def index_documents(self, index: str, docs: Iterable[Mapping[str, Any]]) -> int:
        """Upsert documents (`_id` picks the id; one is generated if absent); returns how many."""
        ...

    def delete_documents(self, index: str, filters: Filters) -> int: ...

    def search(
        self,
        index: str,
        query: str | None = None,
        *,
        filters: Filters | None = None,
        time_range: TimeRange | None = None,
        k: int = 10,
        operator: Operator = "or",
    ) -> list[Hit]:
        """Best `k` hits by BM25; with no query, the newest (or first stored) documents, score 0."""
        ...

    def count(
        self,
        index: str,
        query: str | None = None,
        *,
        filters: Filters | None = None,
        time_range: TimeRange | None = None,
        operator: Operator = "or",
    ) -> int: ...

    def count_over_time(
        self,
        index: str,
        interval: timedelta,
        *,
        query: str | None = None,
        filters: Filters | None = None,
        time_range: TimeRange | None = None,
        operator: Operator = "or",
    ) -> list[Bucket]:
        """Zero-filled histogram aligned on multiples of `interval` since the epoch."""
        ...

    def terms(
        self,
        index: str,
        field: str,
        *,
        query: str | None = None,
        filters: Filters | None = None,
        time_range: TimeRange | None = None,
        size: int = 10,
        operator: Operator = "or",
    ) -> list[TermCount]:
        """Most frequent values of a keyword or integer field, ties broken by value."""
        ...

    def scan(self, index: str, *, filters: Filters | None = None) -> Iterator[Hit]:
        """Every matching document, in no particular order."""
        ...

    def close(self) -> None: ...


def query_terms(text: str | None) -> list[str]:
    """Distinct search terms of free text, in order, the way both backends split them."""
    seen: dict[str, None] = {}
    for term in _TERM.findall((text or "").lower()):
        seen.setdefault(term, None)
    return list(seen)


def parse_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, (int, float)):
        return from_epoch_ms(int(value * 1000)) if value < 1e11 else from_epoch_ms(int(value))
    if isinstance(value, str):
        return as_utc(datetime.fromisoformat(value.strip()))
    raise ValueError(f"not a timestamp: {value!r}")


def format_time(moment: datetime) -> str:
    return as_utc(moment).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class NormalizedDocument:
    """A document checked against its schema: its id, its source and its time in epoch ms."""

    __slots__ = ("id", "source", "timestamp_ms")

    def __init__(self, doc_id: str, source: dict[str, Any], timestamp_ms: int | None) -> None:
        self.id = doc_id
        self.source = source
        self.timestamp_ms = timestamp_ms


_COERCED: dict[tuple[int, str | None], tuple[tuple[FieldSpec, ...], tuple[tuple[str, FieldType], ...]]] = {}


def _coerced_fields(schema: IndexSchema) -> tuple[tuple[str, FieldType], ...]:
    """(name, type) of the fields whose values `normalize_document` coerces: every field but the time field.

    Kept per field tuple (copies of a schema share it), since hashing a schema costs more than the loop."""
    key = (id(schema.fields), schema.time_field)
    kept = _COERCED.get(key)
    if kept is None or kept[0] is not schema.fields:
        coerced = (FieldType.INTEGER, FieldType.KEYWORD, FieldType.TEXT, FieldType.VECTOR)
        plan = tuple((f.name, f.type) for f in schema.fields if f.name != schema.time_field and f.type in coerced)
        kept = _COERCED[key] = (schema.fields, plan)
    return kept[1]


def normalize_document(schema: IndexSchema, doc: Mapping[str, Any]) -> NormalizedDocument:
    source = dict(doc)
    doc_id = str(source.pop("_id", None) or uuid.uuid4().hex)
    timestamp_ms = None
    if schema.time_field:
        raw = source.pop(schema.time_field, None)
        raw = source.pop("@timestamp", None) if raw is None else raw
        if raw is None:
            raise ValueError(f"document for {schema.name} has no {schema.time_field!r}")
        moment = parse_time(raw)
        source[schema.time_field] = format_time(moment)
        timestamp_ms = epoch_ms(moment)
    for name, kind in _coerced_fields(schema):
        value = source.get(name)
        if value is None:
            continue
        if kind is FieldType.INTEGER:
            try:
                source[name] = int(value)
            except (TypeError, ValueError):
                source.pop(name)
        elif kind is FieldType.VECTOR:
            source[name] = [float(x) for x in value]
        elif type(value) is not str:
            source[name] = str(value)
    return NormalizedDocument(doc_id, source, timestamp_ms)


def check_filter_fields(schema: IndexSchema, filters: Filters | None) -> None:
    allowed = {f.name for f in schema.exact_fields}
    for name in filters or {}:
        if name not in allowed:
            raise ValueError(f"cannot filter {schema.name} on {name!r}; filterable: {sorted(allowed)}")


def time_bounds_ms(time_range: TimeRange | None) -> tuple[int | None, int | None]:
    if time_range is None:
        return None, None
    start = epoch_ms(time_range.start) if time_range.start else None
    end = epoch_ms(time_range.end) if time_range.end else None
    return start, end
