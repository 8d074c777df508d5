"""Constructed series the metrics analyzer tests share: three hours at one step, the last hour the window."""

from __future__ import annotations

from datetime import UTC, datetime

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.domains.metrics.analyzers.signals import SignalData, metrics_context
from functions._platform.domains.metrics.source import Series
from sreo_events.models import TimeWindow

T0 = 1_714_557_600  # 2024-05-01 10:00 UTC
STEP = 60
BASELINE = TimeWindow(start=datetime.fromtimestamp(T0, UTC), end=datetime.fromtimestamp(T0 + 7200, UTC))
WINDOW = TimeWindow(start=BASELINE.end, end=datetime.fromtimestamp(T0 + 10800, UTC))
TIMES = list(range(T0, T0 + 10800, STEP))


def context(mapping: MetricsMapping | None = None) -> AnalysisContext:
    return metrics_context(service="api", window=WINDOW, baseline=BASELINE, step_s=STEP,
                           mapping=mapping or MetricsMapping(latency_kind="gauge", latency_metric="p95_seconds"))


def gauge(values) -> dict[str, SignalData]:
    series = Series(labels={"__name__": "p95_seconds", "service": "api"}, points=[(t, values(t)) for t in TIMES])
    return {"latency": SignalData([series], "p95_seconds{service=\"api\"}")}


def in_window(t: float) -> float:
    return max(0.0, (t - (T0 + 7200)) / 3600)


def requests(error_share) -> dict[str, SignalData]:
    ok, bad, good_total, bad_total = [], [], 0.0, 0.0
    for t in TIMES:
        good_total += 100 * (1 - error_share(t))
        bad_total += 100 * error_share(t)
        ok.append((t, good_total))
        bad.append((t, bad_total))
    series = [Series(labels={"service": "api", "code": "200"}, points=ok),
              Series(labels={"service": "api", "code": "503"}, points=bad)]
    return {"requests": SignalData(series, "http_requests_total{service=\"api\"}")}


LIMIT = 512 * 2**20
POD = {"namespace": "shop", "pod": "api-1", "container": "api", "service": "api"}


def memory(used) -> dict[str, SignalData]:
    """A container's working set against its memory limit of LIMIT bytes."""
    usage = Series(labels={"__name__": "container_memory_working_set_bytes", **POD},
                   points=[(t, used(t)) for t in TIMES])
    limit = Series(labels={"__name__": "kube_pod_container_resource_limits", "resource": "memory", **POD},
                   points=[(t, float(LIMIT)) for t in TIMES])
    return {"memory": SignalData([usage], "container_memory_working_set_bytes{pod=~\"api-.*\"}"),
            "limits": SignalData([limit], "kube_pod_container_resource_limits{pod=~\"api-.*\"}")}
