"""capacity_forecast: resource use trending toward its limit, with the projected date of exhaustion and a 95%
interval (functions/_platform/trend.py: OLS, confidence band of the mean, autocorrelation-corrected).

Per workload (service scope): memory and CPU of each container against its limit. Per node and database
(cluster scope): filesystem use against its size; connections (postgres_exporter) against max_connections.
A finding is raised when the fitted trend reaches capacity within the horizon; the worst key of a subject
and resource (soonest exhaustion) speaks for it. `forecasts()` returns every key, for `sreo capacity report`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.metrics.analyzers.selectors import container_selector, workload_selector
from functions._platform.domains.metrics.analyzers.signals import MetricsData, clamp
from functions._platform.domains.metrics.analyzers.stats import increases
from functions._platform.domains.metrics.source.selector import build_selector
from functions._platform.trend import exhaustion
from sreo_events.models import Finding

CONNECTIONS_METRIC = "pg_stat_activity_count"
MAX_CONNECTIONS_METRIC = "pg_settings_max_connections"
FINDING_HORIZON_S = 7 * 86400
URGENT_S = 86400


@dataclass(frozen=True)
class Forecast:
    subject: str  # service, node/<name> or database/<instance>
    resource: str  # memory, cpu, disk, connections
    where: str  # container, mount or instance
    current: float  # fitted utilisation now (0..1 of capacity)
    slope_per_day: float
    exhausted_at: datetime | None
    earliest: datetime | None
    latest: datetime | None  # None: not bounded within the forecast horizon
    r_squared: float
    samples: int
    peak: float = 0.0  # highest observed utilisation

    def as_dict(self) -> dict:
        when = {k: getattr(self, k).isoformat() if getattr(self, k) else None
                for k in ("exhausted_at", "earliest", "latest")}
        return {"subject": self.subject, "resource": self.resource, "where": self.where,
                "current_utilisation": round(self.current, 4), "slope_per_day": round(self.slope_per_day, 6),
                **when, "r_squared": round(self.r_squared, 3), "samples": self.samples}


def _date(t: float | None) -> datetime | None:
    return datetime.fromtimestamp(t, tz=UTC) if t is not None else None


def _cpu_cores(points: list[tuple[float, float]], grown: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(t, g / (t - p)) for (p, _), (t, g) in zip(points, grown, strict=False) if t > p]


CAPACITY_FORECAST = FindingKind(
    name="capacity_forecast", domain="metrics",
    actions=(
        action("add-capacity", "Raise the {resource} limit or add capacity for {subject} before it is exhausted", None, "low"),
    ),
)


class CapacityForecast:
    kind = "capacity_forecast"
    kinds = (CAPACITY_FORECAST,)
    scopes = frozenset({"service", "cluster"})
    healthy_text = "no resource trends toward its limit within 7 days"

    def signals(self, context: AnalysisContext) -> dict[str, str]:
        m = context.scope.mapping
        if context.scope.service is None:
            fs = [("fstype", "!~", m.fs_ignore_types)]
            return {"fs_avail": build_selector(m.fs_avail_metric, fs), "fs_size": build_selector(m.fs_size_metric, fs),
                    "connections": build_selector(CONNECTIONS_METRIC, []),
                    "max_connections": build_selector(MAX_CONNECTIONS_METRIC, [])}
        return {"memory": container_selector(m, m.memory_usage_metric, context.scope.service),
                "cpu": container_selector(m, m.cpu_usage_metric, context.scope.service),
                "limits": workload_selector(m, m.limits_metric, context.scope.service)}

    def analyze(self, data: MetricsData, context: AnalysisContext) -> list[Finding]:
        end = context.window_s[1]
        saturated = context.scope.mapping.thresholds.saturation
        worst: dict[tuple[str, str], Forecast] = {}
        for item in forecasts(data, context):
            if item.exhausted_at is None or item.exhausted_at.timestamp() - end > FINDING_HORIZON_S:
                continue
            if item.peak >= saturated:
                continue  # already at the limit: resource_saturation reports it; a forecast is the early warning
            key = (item.subject, item.resource)
            if key not in worst or item.exhausted_at < worst[key].exhausted_at:  # type: ignore[operator]
                worst[key] = item
        return [self._finding(item, data, context) for item in worst.values()]

    def _finding(self, item: Forecast, data: MetricsData, context: AnalysisContext) -> Finding:
        end = context.window_s[1]
        hours = max(0.0, (item.exhausted_at.timestamp() - end) / 3600)  # type: ignore[union-attr]
        earliest_h = max(0.0, (item.earliest.timestamp() - end) / 3600) if item.earliest else hours
        latest = f"{item.latest:%Y-%m-%d %H:%M}" if item.latest else "beyond the horizon"
        queries = " ; ".join(s.query for s in data.values() if s.series)
        return Finding(
            kind=self.kind, subject=item.subject,
            severity="critical" if earliest_h * 3600 <= URGENT_S else "warning",
            score=round(clamp(0.3 + 0.5 * (1 - hours * 3600 / FINDING_HORIZON_S) * min(1.0, item.r_squared + 0.2)),
                        3),
            summary=(f"{item.subject} {item.resource} ({item.where}) at {item.current:.0%} of capacity, rising "
                     f"{item.slope_per_day:.1%}/day: full around {item.exhausted_at:%Y-%m-%d %H:%M} UTC "
                     f"(95%: {item.earliest:%Y-%m-%d %H:%M} to {latest})"),
            window=context.window, baseline=context.baseline,
            evidence={**item.as_dict(), "hours_to_exhaustion": round(hours, 2),
                      "method": "OLS trend, 95% confidence band of the mean, autocorrelation-corrected"},
            query=queries[:2000])


def _container_ratios(data: MetricsData, context: AnalysisContext):
    """Memory and CPU of each container against its limit."""
    m = context.scope.mapping
    limits = data.get("limits")
    for resource in ("memory", "cpu"):
        signal = data.get(resource)
        if limits is None or signal is None:
            continue
        caps = {(s.labels.get(m.pod_label, ""), s.labels.get(m.container_label, "")): s.points[-1][1]
                for s in limits.series if s.labels.get(m.resource_label) == resource and s.points
                and s.points[-1][1] > 0}
        for series in signal.series:
            key = (series.labels.get(m.pod_label, ""), series.labels.get(m.container_label, ""))
            if key not in caps:
                continue
            used = series.points if resource == "memory" else _cpu_cores(series.points, increases(series))
            yield context.scope.service, resource, "/".join(key), [(t, v / caps[key]) for t, v in used]


def _labels_key(series) -> tuple:
    return tuple(sorted((k, v) for k, v in series.labels.items() if k != "__name__"))


def _disk_ratios(data: MetricsData, context: AnalysisContext):
    """Filesystem use of each node's mount against its size."""
    avail, size = data.get("fs_avail"), data.get("fs_size")
    if avail is None or size is None:
        return
    sizes = {_labels_key(s): dict(s.points) for s in size.series}
    for series in avail.series:
        total = sizes.get(_labels_key(series), {})
        node = series.labels.get(context.scope.mapping.node_label, "").rsplit(":", 1)[0]
        yield (f"node/{node}", "disk", series.labels.get("mountpoint", ""),
               [(t, 1 - v / total[t]) for t, v in series.points if total.get(t)])


def _connection_ratios(data: MetricsData):
    """Connections of each database instance against its max_connections."""
    connections, ceiling = data.get("connections"), data.get("max_connections")
    if connections is None or ceiling is None:
        return
    per_instance: dict[str, dict[float, float]] = defaultdict(lambda: defaultdict(float))
    for series in connections.series:
        for t, v in series.points:
            per_instance[series.labels.get("instance", "")][t] += v
    limit = {s.labels.get("instance", ""): s.points[-1][1] for s in ceiling.series if s.points and s.points[-1][1]}
    for instance, points in per_instance.items():
        if instance in limit:
            yield (f"database/{instance.rsplit(':', 1)[0]}", "connections", instance,
                   [(t, v / limit[instance]) for t, v in sorted(points.items())])


def _ratio_series(data: MetricsData, context: AnalysisContext):
    """(subject, resource, where, [(t, used / capacity)]) for every key with a known capacity."""
    if context.scope.service is not None:
        yield from _container_ratios(data, context)
        return
    yield from _disk_ratios(data, context)
    yield from _connection_ratios(data)


def forecasts(data: MetricsData, context: AnalysisContext) -> list[Forecast]:
    found = []
    for subject, resource, where, points in _ratio_series(data, context):
        projected = exhaustion(points)
        if projected is None:
            if len(points) >= 6:
                last = points[-1][1]
                found.append(Forecast(subject, resource, where, last, 0.0, None, None, None, 0.0, len(points),
                                      max(v for _, v in points)))
            continue
        found.append(Forecast(subject, resource, where, projected.current, projected.slope_per_day,
                              _date(projected.at), _date(projected.earliest), _date(projected.latest),
                              projected.r_squared, projected.samples, max(v for _, v in points)))
    return found
