"""A synthetic but exporter-shaped metrics scenario, written as OpenMetrics (for promtool backfill) and CSV.

Four hours of one-minute scrapes ending `END_OFFSET_S` ago. The incident window is the last hour.
- checkout: p95 latency creeps upward during the window (histogram), errors flat at 0.5 %.
- payments: flat latency; 5xx ratio jumps to ~20 % in the last 30 minutes; container restarts 4 times.
- cart: flat latency and errors; memory working set climbs to ~95 % of its limit in the window.
- node-1: root filesystem fills to ~96 %; node-2 stays at 40 %.
"""

from __future__ import annotations

import csv
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sreo_events.models import TimeWindow

SCRAPE_S = 60
SPAN_S = 4 * 3600
WINDOW_S = 3600
END_OFFSET_S = 1800
BOUNDS = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, math.inf]
REQUESTS_PER_SCRAPE = 120
SERVICES = ("cart", "checkout", "payments")
MEMORY_LIMIT = 512 * 1024 * 1024


@dataclass(frozen=True)
class Scenario:
    start: int
    end: int

    @property
    def window(self) -> TimeWindow:
        return TimeWindow(start=_dt(self.end - WINDOW_S), end=_dt(self.end + 1))

    @property
    def times(self) -> list[int]:
        return list(range(self.start, self.end + 1, SCRAPE_S))

    def in_window(self, t: int) -> float:
        """0 before the window, then 0..1 through it."""
        return max(0.0, (t - (self.end - WINDOW_S)) / WINDOW_S)


def make_scenario(now: float | None = None) -> Scenario:
    end = int((now or time.time()) - END_OFFSET_S) // SCRAPE_S * SCRAPE_S
    return Scenario(start=end - SPAN_S, end=end)


def _dt(t: float) -> datetime:
    return datetime.fromtimestamp(t, tz=UTC)


def _mean_latency(scenario: Scenario, service: str, t: int) -> float:
    if service == "checkout":
        return 0.1 + 0.05 * scenario.in_window(t)
    return 0.1


def _error_share(scenario: Scenario, service: str, t: int) -> float:
    if service == "payments" and t > scenario.end - WINDOW_S / 2:
        return 0.2
    return 0.005


def samples(scenario: Scenario) -> dict[str, list[tuple[dict[str, str], list[tuple[int, float]]]]]:
    """Family name -> [(labels incl. __name__, [(t, value)])], each series contiguous and in time order."""
    families: dict[str, list] = {"http_request_duration_seconds": [], "http_requests": [],
                                 "container_memory_working_set_bytes": [], "container_cpu_usage_seconds": [],
                                 "kube_pod_container_resource_limits": [], "kube_pod_container_status_restarts": [],
                                 "node_filesystem_avail_bytes": [], "node_filesystem_size_bytes": []}
    for service in SERVICES:
        buckets = {b: [] for b in BOUNDS}
        ok, failed = [], []
        counts = {b: 0.0 for b in BOUNDS}
        good = bad = 0.0
        for t in scenario.times:
            mean = _mean_latency(scenario, service, t)
            for bound in BOUNDS:  # latency uniform on [0, 2 * mean]
                counts[bound] += REQUESTS_PER_SCRAPE * min(1.0, bound / (2 * mean))
                buckets[bound].append((t, math.floor(counts[bound])))
            share = _error_share(scenario, service, t)
            bad += REQUESTS_PER_SCRAPE * share
            good += REQUESTS_PER_SCRAPE * (1 - share)
            ok.append((t, math.floor(good)))
            failed.append((t, math.floor(bad)))
        for bound in BOUNDS:
            le = "+Inf" if bound == math.inf else f"{bound:g}"
            families["http_request_duration_seconds"].append(
                ({"__name__": "http_request_duration_seconds_bucket", "service": service, "le": le}, buckets[bound]))
        for code, points in (("200", ok), ("500", failed)):
            families["http_requests"].append(
                ({"__name__": "http_requests_total", "service": service, "code": code}, points))
        pod = {"namespace": "shop", "pod": f"{service}-7d9f8c-x2k4q", "container": service}
        memory = [(t, MEMORY_LIMIT * (0.5 + (0.45 * scenario.in_window(t) if service == "cart" else 0.0)))
                  for t in scenario.times]
        cpu = [(t, 0.1 * (t - scenario.start)) for t in scenario.times]
        restarts = [(t, float(sum(1 for k in (20, 30, 40, 50) if service == "payments"
                                  and t >= scenario.end - WINDOW_S + k * 60))) for t in scenario.times]
        families["container_memory_working_set_bytes"].append(
            ({"__name__": "container_memory_working_set_bytes", **pod}, memory))
        families["container_cpu_usage_seconds"].append(({"__name__": "container_cpu_usage_seconds_total", **pod}, cpu))
        for resource, unit, value in (("memory", "byte", MEMORY_LIMIT), ("cpu", "core", 0.5)):
            families["kube_pod_container_resource_limits"].append(
                ({"__name__": "kube_pod_container_resource_limits", **pod, "resource": resource, "unit": unit},
                 [(t, value) for t in scenario.times]))
        families["kube_pod_container_status_restarts"].append(
            ({"__name__": "kube_pod_container_status_restarts_total", **pod}, restarts))
    size = 100 * 1024**3
    for node, used in (("node-1", lambda t: 0.6 + 0.36 * scenario.in_window(t)), ("node-2", lambda t: 0.4)):
        fs = {"instance": f"{node}:9100", "mountpoint": "/", "device": "/dev/sda1", "fstype": "ext4"}
        families["node_filesystem_avail_bytes"].append(
            ({"__name__": "node_filesystem_avail_bytes", **fs}, [(t, size * (1 - used(t))) for t in scenario.times]))
        families["node_filesystem_size_bytes"].append(
            ({"__name__": "node_filesystem_size_bytes", **fs}, [(t, float(size)) for t in scenario.times]))
    return families


TYPES = {"http_request_duration_seconds": "histogram", "http_requests": "counter",
         "container_cpu_usage_seconds": "counter", "kube_pod_container_status_restarts": "counter"}


def write_openmetrics(scenario: Scenario, path: Path) -> Path:
    lines = []
    for family, series in samples(scenario).items():
        lines.append(f"# TYPE {family} {TYPES.get(family, 'gauge')}")
        for labels, points in series:
            name = labels["__name__"]
            rendered = ",".join(f'{k}="{v}"' for k, v in labels.items() if k != "__name__")
            lines.extend(f"{name}{{{rendered}}} {value:.17g} {t}" for t, value in points)
    path.write_text("\n".join(lines) + "\n# EOF\n", encoding="utf-8")
    return path


def write_long_csv(scenario: Scenario, path: Path, families: tuple[str, ...]) -> Path:
    """timestamp,metric,<labels...>,value with RFC 3339 timestamps."""
    rows, label_names = [], set()
    for family in families:
        for labels, points in samples(scenario)[family]:
            label_names |= set(labels) - {"__name__"}
            rows.extend((t, labels, value) for t, value in points)
    columns = sorted(label_names)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "metric", *columns, "value"])
        for t, labels, value in rows:
            writer.writerow([_dt(t).isoformat(), labels["__name__"], *(labels.get(c, "") for c in columns), value])
    return path
