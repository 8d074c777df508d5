"""metric_change: every series of a component, measured against its own history before the symptom (BARO-style).

Each series of the component (selected by its service label and by its workload's pods; histogram buckets
left to the latency analyzers) is split at the symptom's onset: the points before it are the reference, the
points from it to the window's end the incident. The change is the median robust z of the incident points
(median and a MAD/IQR spread, floored at 1 % of the level, so CPU millicores, bytes and percentages compare),
a sustained shift rather than one blip. Counters become per-second rates over several scrape intervals first
(as PromQL's `rate()`), so sparse scrapes do not read as bursts.

Onset: the start of the run of anomalous points (robust z >= 3, same direction) that reaches the incident, so
a change that began before the alert fired is dated where it began and a lone earlier blip is not. A run that
began more than `CARRY_LEAD` before the symptom and did not change again at it is what an earlier fault left
behind: listed as context, not counted in the component's change strength.

The component's change strength sums z / (z + 3) x 3 over its series: a faulty component moves on several
metrics, a symptom on a few, and no single series counts more than 3. Client-side latency series (the
component's calls to its dependencies, named by `client_latency_regex`) are reported as quantiles with their
reference level and spread, moved or not, so the ranking can tell which callers wait and which do not.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.analyzers.series_evidence import series_evidence
from functions._platform.domains.metrics.analyzers.selectors import service_selector, workload_selector
from functions._platform.domains.metrics.analyzers.signals import MetricsData, clamp, iso, symptom_onset_s
from functions._platform.domains.metrics.analyzers.stats import (
    RATE_SCRAPES,
    median,
    scrape_interval,
    windowed_rate,
)
from functions._platform.domains.metrics.source.models import Series
from sreo_events.models import Finding

THRESHOLD = 3.0  # robust z of a clear change: the three-sigma rule in MAD units
MIN_REFERENCE = 3  # distinct samples before the symptom needed to judge a series at all
CARRY_LEAD_S = 300.0  # a run older than this before the symptom (longer than the usual `for: 5m`) is carried over
RELATIVE_FLOOR = 0.01
MAX_LISTED = 8
COUNTER_SUFFIXES = ("_total", "_count", "_sum")
SKIPPED_SUFFIXES = ("_bucket", "_created")


@dataclass
class SeriesChange:
    name: str
    labels: dict[str, str]
    z: float  # sustained robust z of the incident points (absolute)
    direction: int
    reference: float
    spread: float
    level: float  # median of the incident points
    onset: float | None
    carried_over: bool
    reference_points: int
    history: list[tuple[float, float]] = field(default_factory=list)  # baseline start .. window end, for the chart
    reference_values: list[float] = field(default_factory=list)


def location_scale(reference: list[float], hint: float) -> tuple[float, float]:
    ordered = sorted(reference)
    centre = median(ordered)
    q1, q3 = _quantile(ordered, 0.25), _quantile(ordered, 0.75)
    mad = median([abs(v - centre) for v in ordered])
    level = max(abs(centre), abs(hint))
    floor = RELATIVE_FLOOR * level if level > 0 else 1e-9
    return centre, max((q3 - q1) / 1.349, 1.4826 * mad, floor)


def _quantile(ordered: list[float], q: float) -> float:
    position = q * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _samples(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The series' own samples out of a range query: one point per scrape (a finer step repeats each sample),
    and no tail of the last value held for the lookback after the series stopped (a target gone, a file's end)."""
    interval = scrape_interval(points)
    if interval is None:
        return points
    kept: list[tuple[float, float]] = []
    for t, v in points:
        if not kept or v != kept[-1][1] or t - kept[-1][0] >= interval * 0.99:
            kept.append((t, v))
    last_change = max((i for i in range(1, len(kept)) if kept[i][1] != kept[i - 1][1]), default=0)
    return kept[:last_change + 1] if len(kept) - last_change > 2 else kept


def _points(series: Series) -> list[tuple[float, float]]:
    points = _samples([(t, v) for t, v in series.points if math.isfinite(v)])
    if series.name.endswith(COUNTER_SUFFIXES):
        interval = scrape_interval(points) or 0.0
        width = max(RATE_SCRAPES * interval, 2 * _step(points))
        points = windowed_rate(points, width)
    return points


def _step(points: list[tuple[float, float]]) -> float:
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(points)]
    return median(gaps) if gaps else 0.0


def _reference_scrapes(points: list[tuple[float, float]], reference: list[tuple[float, float]],
                       context: AnalysisContext) -> int:
    interval = scrape_interval(points) or _step(points) or context.scope.step_s
    return int((reference[-1][0] - reference[0][0]) / interval) + 1 if reference else 0


def _is_carried_over(scored: list[tuple[float, float]], onset: float | None, onset_s: float, level: float,
                     centre: float, spread: float) -> bool:
    """The run started well before the symptom and the level has not moved since: a change carried over."""
    if onset is None or not onset < onset_s - CARRY_LEAD_S:
        return False
    before = [centre + s * spread for t, s in scored if onset <= t < onset_s]
    return abs(level - median(before)) < THRESHOLD * spread


def series_change(series: Series, context: AnalysisContext) -> SeriesChange | None:
    """None when the series has no incident points; `reference_points` < MIN_REFERENCE means too little history
    (counted in scrapes: a range query at a finer step repeats each sample)."""
    points = _points(series)
    onset_s, end = symptom_onset_s(context), context.window_s[1]
    reference = [(t, v) for t, v in points if context.baseline_s[0] <= t < onset_s]
    incident = [(t, v) for t, v in points if onset_s <= t <= end]
    if not incident:
        return None
    scrapes = _reference_scrapes(points, reference, context)
    if scrapes < MIN_REFERENCE:
        return SeriesChange(series.name, series.labels, 0.0, 0, math.nan, math.nan, math.nan, None, False, scrapes)
    level = median([v for _, v in incident])
    centre, spread = location_scale([v for _, v in reference], level)
    scored = [(t, (v - centre) / spread) for t, v in points if t <= end]
    z = median([abs(s) for t, s in scored if t >= onset_s])
    direction = 1 if level >= centre else -1
    onset = _run_start(scored, onset_s, direction) if z >= THRESHOLD else None
    carried = _is_carried_over(scored, onset, onset_s, level, centre, spread)
    history = [(t, v) for t, v in points if context.baseline_s[0] <= t <= end]
    return SeriesChange(series.name, series.labels, z, direction, centre, spread, level, onset, carried, scrapes,
                        history, [v for _, v in reference])


def _run_start(scored: list[tuple[float, float]], onset_s: float, direction: int) -> float | None:
    """Start of the run of same-direction anomalous points that reaches the incident's first anomalous point."""
    anomalous = [direction * s >= THRESHOLD for _, s in scored]
    first = next((i for i, (t, _) in enumerate(scored) if t >= onset_s and anomalous[i]), None)
    if first is None:
        return None
    while first > 0 and anomalous[first - 1]:
        first -= 1
    return scored[first][0]


def _series_changes(data: MetricsData, context: AnalysisContext) -> list[SeriesChange]:
    """The change of each distinct series of the service and its pods, skipped suffixes left out."""
    seen, changes = set(), []
    for signal_name in ("own", "pods"):
        for series in (data[signal_name].series if signal_name in data else []):
            key = tuple(sorted(series.labels.items()))
            if key in seen or series.name.endswith(SKIPPED_SUFFIXES):
                continue
            seen.add(key)
            change = series_change(series, context)
            if change is not None:
                changes.append(change)
    return changes


def _change_strength(judged: list[SeriesChange], pod_label: str) -> float:
    """A component is as changed as its most changed pod (more replicas are not more change)."""
    by_pod: dict[str, float] = {}
    for c in judged:
        if not c.carried_over:
            pod = c.labels.get(pod_label, "")
            by_pod[pod] = by_pod.get(pod, 0.0) + THRESHOLD * c.z / (c.z + THRESHOLD)
    return max(by_pod.values(), default=0.0)


METRIC_CHANGE = FindingKind(
    name="metric_change", domain="metrics",
    actions=(
        action("what-changed-at-onset", "Look at what changed in {subject} when its metrics moved (a deploy, config, "
               "load, the node it runs on); the evidence lists the metrics that moved most first", None, "low"),
    ),
)


class MetricChange:
    kind = "metric_change"
    kinds = (METRIC_CHANGE,)
    scopes = frozenset({"service"})
    healthy_text = "no metric moved beyond three robust sigmas of its history"
    needs_symptom = True  # runs in investigations (split at the alert's start), not in scans

    def signals(self, context: AnalysisContext) -> dict[str, str]:
        service = context.scope.service or ""
        return {"own": service_selector("", context.scope.service_label, service),
                "pods": workload_selector(context.scope.mapping, "", service)}

    def analyze(self, data: MetricsData, context: AnalysisContext) -> list[Finding]:
        if context.scope.service is None:
            return []
        judged = [c for c in _series_changes(data, context) if c.reference_points >= MIN_REFERENCE]
        if not judged:
            return []
        client = re.compile(context.scope.mapping.client_latency_regex)
        calls = [c for c in judged if client.search(c.name)]
        moved = sorted((c for c in judged if c.z >= THRESHOLD and not c.carried_over), key=lambda c: -c.z)
        carried = [c for c in judged if c.carried_over]
        if not moved and not calls:
            return []
        strength = _change_strength(judged, context.scope.mapping.pod_label)
        query = "; ".join(data[name].query for name in ("own", "pods") if name in data)
        return [self._finding(context, moved, carried, calls, strength, len(judged), query)]

    def _finding(self, context: AnalysisContext, moved: list[SeriesChange], carried: list[SeriesChange],
                 calls: list[SeriesChange], strength: float, judged: int, query: str) -> Finding:
        onsets = [c.onset for c in moved if c.onset is not None]
        onset = min(onsets) if onsets else None
        if moved:
            listed = ", ".join(f"{c.name} {'+' if c.direction > 0 else '-'}{c.z:.1f}σ" for c in moved[:4])
            summary = (f"{context.scope.service}: {len(moved)} of {judged} metrics changed"
                       f"{f' from {iso(onset):%H:%M:%S} UTC' if onset else ''} ({listed})")
        else:
            summary = f"{context.scope.service}: no metric moved beyond 3σ; its calls' latency is reported for comparison"
        severity = "info" if not moved else "warning"
        return Finding(
            kind=self.kind, subject=context.scope.service, severity=severity,
            score=round(clamp(strength / (strength + 3 * THRESHOLD)), 3) if moved else 0.0,
            summary=summary, window=context.window, baseline=context.baseline,
            onset=iso(onset) if onset is not None else None,
            evidence={
                "robust_z": round(moved[0].z, 2) if moved else 0.0,
                "change_strength": round(strength, 3),
                "metrics": [_listed(c) for c in moved[:MAX_LISTED]],
                "moved": len(moved), "series": judged,
                "carried_over": [_listed(c) for c in carried[:MAX_LISTED]],
                "client_latency": [{"metric": c.name, "baseline": round(c.reference, 6),
                                    "spread": round(c.spread, 6), "level": round(c.level, 6)} for c in calls[:12]],
                "symptom_onset": iso(symptom_onset_s(context)).isoformat(),
                **(series_evidence(moved[0].history, moved[0].reference_values) if moved else {}),
            },
            query=query,
        )


def _listed(change: SeriesChange) -> dict:
    where = {k: v for k, v in change.labels.items() if k != "__name__"}
    return {"metric": change.name, "labels": where, "robust_z": round(change.z, 2),
            "direction": "up" if change.direction > 0 else "down", "baseline": round(change.reference, 6),
            "window": round(change.level, 6), "onset": iso(change.onset).isoformat() if change.onset else None}
