"""The series behind a finding, in the shape the report charts under its cause (functions/report/charts.py):
`points`, at most 60 [unix seconds, value] pairs over the baseline and the window, and `baseline_band`, the
[low, high] range of the values the finding was judged against."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

MAX_POINTS = 60


def chart_points(points: Iterable[tuple[float, float]], limit: int = MAX_POINTS) -> list[list[float]]:
    """At most `limit` (time, value) pairs, evenly spaced over the series, values to six significant digits."""
    items = sorted(points)
    every = max(1, math.ceil(len(items) / limit))
    return [[t, float(f"{v:.6g}")] for t, v in items[::every]]


def series_evidence(history: Iterable[tuple[float, float]], baseline: Iterable[float]) -> dict[str, Any]:
    """`{"points", "baseline_band"}` for a finding's evidence; `{}` when there are fewer than two points to draw
    or no baseline values, so a finding without a chartable series carries neither key."""
    points = chart_points(history)
    reference = [float(v) for v in baseline]
    if len(points) < 2 or not reference:
        return {}
    return {"points": points, "baseline_band": [float(f"{min(reference):.6g}"), float(f"{max(reference):.6g}")]}
