"""resource_saturation: memory or CPU near the container limit (service scope), or a node filesystem filling up
(cluster scope). The peak of the worst container in the window is compared with its baseline median.
"""

from __future__ import annotations

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.analyzers.series_evidence import series_evidence
from functions._platform.domains.metrics.analyzers.selectors import container_selector, workload_selector
from functions._platform.domains.metrics.analyzers.signals import MetricsData, clamp, iso
from functions._platform.domains.metrics.analyzers.stats import (
    RATE_SCRAPES,
    median,
    scrape_interval,
    split,
    windowed_rate,
)
from functions._platform.domains.metrics.source.models import Series
from functions._platform.domains.metrics.source.selector import build_selector
from sreo_events.models import Finding

Key = tuple[str, ...]


RESOURCE_SATURATION = FindingKind(
    name="resource_saturation", domain="metrics",
    actions=(
        action("raise-limit-or-scale", "Raise the limit or scale {subject} out", None, "medium"),
    ),
    mitigation=("Raise limits or scale out; find what is consuming the resource.",
                "Throttling, OOM kills or evictions follow saturation."),
)


def _worst_peak(ratios: dict[Key, list[tuple[float, float]]], context: AnalysisContext,
                threshold: float) -> tuple[float, Key, float, float] | None:
    """(peak, key, onset, baseline median) of the series with the highest peak at or over the threshold."""
    worst: tuple[float, Key, float, float] | None = None
    for key, points in ratios.items():
        window = split(points, *context.window_s)
        if not window:
            continue
        peak = max(v for _, v in window)
        baseline = [v for _, v in split(points, *context.baseline_s)]
        base = median(baseline) if baseline else 0.0
        if peak >= threshold and (worst is None or peak > worst[0]):
            onset = next(t for t, v in window if v >= threshold)
            worst = (peak, key, onset, base)
    return worst


def _saturated_count(ratios: dict[Key, list[tuple[float, float]]], context: AnalysisContext,
                     threshold: float) -> int:
    return sum(1 for points in ratios.values() if any(v >= threshold for _, v in split(points, *context.window_s)))


class ResourceSaturation:
    kind = "resource_saturation"
    kinds = (RESOURCE_SATURATION,)
    scopes = frozenset({"service", "cluster"})
    healthy_text = "memory, CPU and disk below their limits"

    def signals(self, context: AnalysisContext) -> dict[str, str]:
        m = context.scope.mapping
        if context.scope.service is None:
            fs = [("fstype", "!~", m.fs_ignore_types)]
            return {"fs_avail": build_selector(m.fs_avail_metric, fs), "fs_size": build_selector(m.fs_size_metric, fs)}
        return {
            "memory": container_selector(m, m.memory_usage_metric, context.scope.service),
            "cpu": container_selector(m, m.cpu_usage_metric, context.scope.service),
            "limits": workload_selector(m, m.limits_metric, context.scope.service),
        }

    def analyze(self, data: MetricsData, context: AnalysisContext) -> list[Finding]:
        if context.scope.service is None:
            return self._filesystems(data, context)
        m = context.scope.mapping
        limits = data.get("limits")
        if limits is None:
            return []
        findings = []
        for resource, signal_name, unit in (("memory", "memory", "bytes"), ("cpu", "cpu", "cores")):
            signal = data.get(signal_name)
            if signal is None or not signal.series:
                continue
            caps = {self._key(s, context): s.points[-1][1] for s in limits.series
                    if s.labels.get(m.resource_label) == resource and s.points and s.points[-1][1] > 0}
            usage = {self._key(s, context): self._usage(s, resource, context) for s in signal.series}
            ratios = {key: [(t, v / caps[key]) for t, v in points] for key, points in usage.items() if key in caps}
            finding = self._judge(ratios, context, resource, unit, f"{signal.query} / {limits.query}",
                                  subject=context.scope.service, caps=caps)
            if finding:
                findings.append(finding)
        return findings

    def _filesystems(self, data: MetricsData, context: AnalysisContext) -> list[Finding]:
        avail, size = data.get("fs_avail"), data.get("fs_size")
        if avail is None or size is None:
            return []
        sizes = {self._fs_key(s, context): dict(s.points) for s in size.series}
        findings = []
        by_node: dict[str, dict[Key, list[tuple[float, float]]]] = {}
        for item in avail.series:
            key = self._fs_key(item, context)
            total = sizes.get(key, {})
            used = [(t, 1 - v / total[t]) for t, v in item.points if total.get(t)]
            by_node.setdefault(key[0], {})[key] = used
        for node, ratios in sorted(by_node.items()):
            finding = self._judge(ratios, context, "disk", "ratio", f"1 - {avail.query} / {size.query}",
                                  subject=f"node/{node}", caps={})
            if finding:
                findings.append(finding)
        return findings

    def _judge(self, ratios: dict[Key, list[tuple[float, float]]], context: AnalysisContext, resource: str,
               unit: str, query: str, subject: str, caps: dict[Key, float]) -> Finding | None:
        threshold = context.scope.mapping.thresholds.saturation
        worst = _worst_peak(ratios, context, threshold)
        if worst is None:
            return None
        peak, key, onset, base = worst
        where = f"{key[1]} on {key[2]}" if resource == "disk" else "/".join(part for part in key if part)
        evidence = {"resource": resource, "peak_utilisation": round(peak, 4), "baseline_median": round(base, 4),
                    "threshold": threshold, "where": where,
                    "saturated_series": _saturated_count(ratios, context, threshold)}
        if key in caps:
            evidence[f"limit_{unit}"] = caps[key]
        points = ratios[key]
        evidence |= series_evidence(split(points, context.baseline_s[0], context.window_s[1]),
                                    [v for _, v in split(points, *context.baseline_s)])
        return Finding(
            kind=self.kind, subject=subject, severity="critical" if peak >= 0.97 else "warning",
            score=round(clamp(0.5 + 0.5 * min(1.0, max(0.0, peak - base) / 0.3) + (0.1 if peak >= 0.97 else 0)), 3),
            summary=(f"{subject} {resource} at {peak:.0%} of {'capacity' if resource == 'disk' else 'limit'} "
                     f"({where}) against a baseline of {base:.0%}"),
            window=context.window, baseline=context.baseline, onset=iso(onset), evidence=evidence, query=query,
        )

    @staticmethod
    def _usage(series: Series, resource: str, context: AnalysisContext) -> list[tuple[float, float]]:
        if resource == "memory":
            return series.points
        # CPU seconds per second = cores in use, over several scrape intervals as PromQL's rate() would: per step,
        # a 60 s scrape read at a 15 s step is three flat steps and a 4x burst
        interval = scrape_interval(series.points) or context.scope.step_s
        return windowed_rate(series.points, max(RATE_SCRAPES * interval, 2 * context.scope.step_s))

    @staticmethod
    def _key(series: Series, context: AnalysisContext) -> Key:
        m = context.scope.mapping
        return (series.labels.get(m.namespace_label, ""), series.labels.get(m.pod_label, ""),
                series.labels.get(m.container_label, ""))

    @staticmethod
    def _fs_key(series: Series, context: AnalysisContext) -> Key:
        node = series.labels.get(context.scope.mapping.node_label, "").rsplit(":", 1)[0]
        return node, series.labels.get("mountpoint", ""), series.labels.get("device", "")
