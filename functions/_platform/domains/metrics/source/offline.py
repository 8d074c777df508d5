"""Offline metrics from files. Not a PromQL engine: queries are plain series selectors.

`instant` and `range` sample each matching series the way Prometheus does for a bare selector: at each
evaluation time the latest sample no older than the lookback (5 minutes) is the value; no sample, no point.
"""

from __future__ import annotations

import bisect
import os
import threading
from collections import OrderedDict
from pathlib import Path

from functions._platform.domains.metrics.source.files import load_metric_files
from functions._platform.domains.metrics.source.models import MetricsSourceError, Series
from functions._platform.domains.metrics.source.provider import LOOKBACK_S
from functions._platform.domains.metrics.source.selector import UnsupportedQuery, parse_selector

MAX_POINTS = 11_000  # Prometheus refuses range queries with more points per series
PARSED_FILES_KEPT = 4

FileStamp = tuple[str, int, int]  # absolute path, mtime in ns, size


class _ParsedFiles:
    """Parsed series per set of files, reused while every file keeps its mtime and size: every agent session
    opens a provider, and parsing OpenMetrics costs far more than the queries. Providers never mutate series."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[FileStamp, ...], tuple[list[Series], list[list[float]]]] = OrderedDict()

    @staticmethod
    def _stamps(paths: list[Path]) -> tuple[FileStamp, ...] | None:
        try:
            stats = [(os.path.abspath(path), os.stat(path)) for path in paths]
        except OSError:
            return None  # let the loader report the missing file
        return tuple((absolute, stat.st_mtime_ns, stat.st_size) for absolute, stat in stats)

    def load(self, paths: list[Path], component_columns: bool = False) -> tuple[list[Series], list[list[float]]]:
        """The series of `paths` and, per series, its sample times."""
        stamps = self._stamps(paths)
        key = None if stamps is None else (*stamps, ("component_columns", int(component_columns), 0))
        if key is not None:
            with self._lock:
                if key in self._kept:
                    self._kept.move_to_end(key)
                    return self._kept[key]
        series = load_metric_files(paths, component_columns)
        parsed = series, sample_times(series)
        if key is not None:
            with self._lock:
                self._kept[key] = parsed
                while len(self._kept) > PARSED_FILES_KEPT:
                    self._kept.popitem(last=False)
        return parsed


def sample_times(series: list[Series]) -> list[list[float]]:
    return [[t for t, _ in s.points] for s in series]


_PARSED = _ParsedFiles()


class OfflineMetricsProvider:
    def __init__(self, series: list[Series], description: str = "offline metrics",
                 times: list[list[float]] | None = None):
        self._series = series
        self._times = times if times is not None else sample_times(series)
        self.description = description

    @classmethod
    def from_files(cls, paths: list[Path], component_columns: bool = False) -> OfflineMetricsProvider:
        series, times = _PARSED.load(paths, component_columns)
        return cls(series, description="files: " + ", ".join(str(p) for p in paths), times=times)

    def _select(self, query: str) -> list[int]:
        try:
            selector = parse_selector(query)
        except UnsupportedQuery as exc:
            raise MetricsSourceError(str(exc)) from exc
        return [i for i, s in enumerate(self._series) if selector.matches(s.labels)]

    def _value_at(self, index: int, at: float) -> float | None:
        times = self._times[index]
        position = bisect.bisect_right(times, at) - 1
        if position < 0 or at - times[position] > LOOKBACK_S:
            return None
        return self._series[index].points[position][1]

    async def instant(self, query: str, at: float) -> list[Series]:
        result = []
        for index in self._select(query):
            value = self._value_at(index, at)
            if value is not None:
                result.append(Series(labels=dict(self._series[index].labels), points=[(at, value)]))
        return result

    async def range(self, query: str, start: float, end: float, step: float) -> list[Series]:
        if step <= 0 or end < start:
            raise MetricsSourceError("range needs step > 0 and end >= start")
        if (end - start) / step + 1 > MAX_POINTS:
            raise MetricsSourceError(f"too many points per series; raise step above {(end - start) / MAX_POINTS:g}s")
        steps = [start + k * step for k in range(int((end - start) // step) + 1)]
        result = []
        for index in self._select(query):
            points = [(t, v) for t in steps if (v := self._value_at(index, t)) is not None]
            if points:
                result.append(Series(labels=dict(self._series[index].labels), points=points))
        return result

    async def series(self, match: str, start: float, end: float) -> list[dict[str, str]]:
        found = []
        for index in self._select(match):
            times = self._times[index]
            first = bisect.bisect_left(times, start)
            if first < len(times) and times[first] <= end:
                found.append(dict(self._series[index].labels))
        return found

    async def label_values(self, label: str, match: str | None, start: float, end: float) -> list[str]:
        candidates = self.series(match, start, end) if match else self._all_in(start, end)
        return sorted({labels[label] for labels in await candidates if labels.get(label)})

    async def _all_in(self, start: float, end: float) -> list[dict[str, str]]:
        return [dict(s.labels) for s, times in zip(self._series, self._times)
                if times and times[-1] >= start and times[0] <= end]

    async def aclose(self) -> None:
        return None
