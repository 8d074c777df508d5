"""OpenMetrics histograms of one service's request latency per route, written for a test."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

SCRAPE_S = 60
BOUNDS = [0.025 * i for i in range(1, 41)] + [math.inf]
REQUESTS_PER_SCRAPE = 100


def write_latency(path: Path, service: str, start: int, end: int,
                  routes: dict[str, Callable[[int], float]]) -> Path:
    """`routes` maps a route to its mean latency at time t; latency is uniform on [0.5, 1.5] x mean."""
    lines = ["# TYPE http_request_duration_seconds histogram"]
    for route, mean_at in routes.items():
        counts = {b: 0.0 for b in BOUNDS}
        series: dict[float, list[str]] = {b: [] for b in BOUNDS}
        for t in range(start, end + 1, SCRAPE_S):
            mean = mean_at(t)
            for bound in BOUNDS:
                counts[bound] += REQUESTS_PER_SCRAPE * min(1.0, max(0.0, (bound - 0.5 * mean) / mean))
                le = "+Inf" if bound == math.inf else f"{bound:g}"
                series[bound].append(f'http_request_duration_seconds_bucket{{service="{service}",route="{route}",'
                                     f'le="{le}"}} {math.floor(counts[bound])} {t}')
        for bound in BOUNDS:
            lines.extend(series[bound])
    path.write_text("\n".join(lines) + "\n# EOF\n", encoding="utf-8")
    return path
