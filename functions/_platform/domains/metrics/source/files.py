"""Load metric samples from OpenMetrics / Prometheus text and CSV files into `Series`."""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from pathlib import Path

from functions._platform.domains.metrics.source.models import MetricsSourceError, Series, to_unix
from functions._platform.domains.metrics.source.selector import UnsupportedQuery, parse_selector

_LONG_VALUE_COLUMNS = {"value"}
_LONG_NAME_COLUMNS = ("metric", "__name__", "name")
_TIME_COLUMNS = ("time", "timestamp", "ts")  # a wallclock `time` beside an epoch `timestamp` wins
# Wide CSV columns that name where a row's samples come from (RCA datasets, dashboard exports); each becomes a
# label (lower-cased; `podname` -> `pod`, `servicename`/`component` -> `service`) instead of a series.
_IDENTITY_COLUMNS = {"service": "service", "servicename": "service", "component": "service", "pod": "pod",
                     "podname": "pod", "namespace": "namespace", "node": "node", "nodename": "node",
                     "container": "container", "instance": "instance", "job": "job"}
_NOT_A_NAME = re.compile(r"[^a-zA-Z0-9_:]+")

SeriesKey = tuple[tuple[str, str], ...]


def load_metric_files(paths: list[Path], component_columns: bool = False) -> list[Series]:
    """Every sample of every file, merged by label set and sorted by time. `component_columns`: wide CSV headers
    without labels are `<component>_<metric>` (split at the first `_`: Kubernetes names cannot hold one)."""
    samples: dict[SeriesKey, dict[float, float]] = defaultdict(dict)
    for path in paths:
        if not path.is_file():
            raise MetricsSourceError(f"metrics file not found: {path}")
        if path.suffix.lower() in {".csv", ".tsv"}:
            rows = _load_csv(path, component_columns)
        else:
            rows = _load_text(path)
        for labels, timestamp, value in rows:
            key = labels if isinstance(labels, tuple) else tuple(sorted(labels.items()))
            samples[key][timestamp] = value
    return [Series(labels=dict(key), points=sorted(points.items())) for key, points in samples.items()]


def _load_text(path: Path):
    from functions._platform.domains.metrics.source.text_format import ReadStats, read_samples

    stats = ReadStats()
    default_time = path.stat().st_mtime  # untimestamped samples are one scrape taken when the file was written
    yield from read_samples(path, default_time, stats)
    if stats.skipped and not stats.samples:
        raise MetricsSourceError(f"{path}: not valid OpenMetrics or Prometheus text: {'; '.join(stats.first_bad)}")


def _load_csv(path: Path, component_columns: bool = False):
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        columns = [c.strip() for c in reader.fieldnames or []]
        lowered = {c.lower(): c for c in reversed(columns)}
        time_column = next((lowered[c] for c in _TIME_COLUMNS if c in lowered), None)
        if time_column is None:
            raise MetricsSourceError(f"{path}: CSV needs a timestamp column (one of {', '.join(_TIME_COLUMNS)})")
        name_column = next((c for c in _LONG_NAME_COLUMNS if c in columns), None)
        if name_column and _LONG_VALUE_COLUMNS & set(columns):
            yield from _long_rows(reader, path, time_column, name_column)
            return
        others = [c for c in columns if c != time_column and c.lower() not in _TIME_COLUMNS]
        identity = {c: _IDENTITY_COLUMNS[c.lower()] for c in others if c.lower() in _IDENTITY_COLUMNS}
        yield from _wide_rows(reader, path, time_column, [c for c in others if c not in identity], identity,
                              component_columns and not identity)


def _long_rows(reader: csv.DictReader, path: Path, time_column: str, name_column: str):
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        value = _number(row.get("value", ""), path, line)
        if value is None:
            continue
        labels = {k: v for k, v in row.items() if k not in {time_column, name_column, "value"} and v}
        yield {"__name__": row[name_column], **labels}, _time(row[time_column], path, line), value


def _wide_rows(reader: csv.DictReader, path: Path, time_column: str, series_columns: list[str],
               identity: dict[str, str], component_columns: bool = False):
    headers = {column: _column_labels(column, path, component_columns) for column in series_columns}
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        timestamp = _time(row[time_column], path, line)
        where = {label: row[column] for column, label in identity.items() if row.get(column)}
        for column, labels in headers.items():
            value = _number(row.get(column, ""), path, line, lenient=bool(identity))
            if value is not None:
                yield {**labels, **where}, timestamp, value


def _column_labels(column: str, path: Path, component_columns: bool = False) -> dict[str, str]:
    """`name{label="v"}` as it reads; any other header (`CpuUsage(m)`, `p95 latency`) becomes a metric name the
    way Prometheus exporters sanitise one (`CpuUsage_m`)."""
    if "{" in column:
        try:
            selector = parse_selector(column)
        except UnsupportedQuery as exc:
            raise MetricsSourceError(f"{path}: wide CSV column {column!r} is not name{{label=\"value\"}}") from exc
        if selector.metric is None or any(m.op != "=" for m in selector.matchers):
            raise MetricsSourceError(f"{path}: wide CSV column {column!r} needs a name and exact labels only")
        return {m.label: m.value for m in selector.matchers}
    if component_columns and "_" in column.strip("_"):
        component, metric = column.strip().split("_", 1)
        return {**_column_labels(metric, path), "service": component}
    name = _NOT_A_NAME.sub("_", column).strip("_")
    if not name:
        raise MetricsSourceError(f"{path}: wide CSV column {column!r} has no usable metric name")
    return {"__name__": name if not name[0].isdigit() else f"_{name}"}


def _time(text: str, path: Path, line: int) -> float:
    try:
        value = to_unix(text)
    except ValueError as exc:
        raise MetricsSourceError(f"{path}:{line}: bad timestamp {text!r}") from exc
    return value / 1000.0 if value > 1e11 else value  # milliseconds since the epoch


def _number(text: str, path: Path, line: int, lenient: bool = False) -> float | None:
    """None for an empty cell; a non-number is an error, or (`lenient`, a wide export whose text columns are
    not all known) no sample."""
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError as exc:
        if lenient:
            return None
        raise MetricsSourceError(f"{path}:{line}: bad value {text!r}") from exc
    return None if math.isnan(value) else value
