"""Metrics with known capacity trends (memory, disk, database connections), as an OpenMetrics file."""

from __future__ import annotations

import random
from pathlib import Path

LIMIT = 512 * 1024 * 1024
SPAN_S = 6 * 3600
SCRAPE_S = 60


def write_capacity_metrics(path: Path, end: int) -> dict[str, float]:
    """api memory 40% -> 60% of its limit over 6 h (full 12 h after `end`); node-1 disk 50% -> 56% over 6 h
    (full 44 h after `end`); the orders database 60 -> 66 of 100 connections (full 34 h after `end`)."""
    start = end - SPAN_S
    times = range(start, end + 1, SCRAPE_S)
    rng = random.Random(7)
    pod = 'namespace="shop",pod="api-7d9f8c-x2k4q",container="api"'

    def share(t: int, a: float, b: float) -> float:
        return a + (b - a) * (t - start) / SPAN_S + rng.gauss(0, 0.003)

    lines = ["# TYPE container_memory_working_set_bytes gauge"]
    lines += [f"container_memory_working_set_bytes{{{pod}}} {LIMIT * share(t, 0.4, 0.6):.0f} {t}" for t in times]
    lines += ["# TYPE kube_pod_container_resource_limits gauge"]
    lines += [f'kube_pod_container_resource_limits{{{pod},resource="memory",unit="byte"}} {LIMIT} {t}' for t in times]
    lines += ["# TYPE http_requests counter"]
    lines += [f'http_requests_total{{service="api",code="200"}} {(t - start) * 10} {t}' for t in times]
    fs = 'instance="node-1:9100",mountpoint="/",device="/dev/sda1",fstype="ext4"'
    lines += ["# TYPE node_filesystem_avail_bytes gauge"]
    lines += [f"node_filesystem_avail_bytes{{{fs}}} {1e11 * (1 - share(t, 0.5, 0.56)):.0f} {t}" for t in times]
    lines += ["# TYPE node_filesystem_size_bytes gauge"]
    lines += [f"node_filesystem_size_bytes{{{fs}}} 100000000000 {t}" for t in times]
    lines += ["# TYPE pg_stat_activity_count gauge"]
    lines += [f'pg_stat_activity_count{{instance="orders-db:9187",datname="orders",state="active"}} '
              f"{100 * share(t, 0.6, 0.66):.2f} {t}" for t in times]
    lines += ["# TYPE pg_settings_max_connections gauge"]
    lines += [f'pg_settings_max_connections{{instance="orders-db:9187"}} 100 {t}' for t in times]
    path.write_text("\n".join(lines) + "\n# EOF\n")
    return {"api": end + 12 * 3600, "node/node-1": end + 44 * 3600, "database/orders-db": end + 34 * 3600}
