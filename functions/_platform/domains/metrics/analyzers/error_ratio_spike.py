"""error_ratio_spike: the share of error responses (5xx / all) jumps above its baseline distribution.

Baseline: error ratios of fixed buckets (`bucket_s`) before the window; spread = 1.4826 x MAD, floored.
Onset: the first window bucket whose ratio is a robust outlier; the finding's ratio covers onset .. end.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.analyzers.series_evidence import series_evidence
from functions._platform.domains.metrics.analyzers.selectors import service_selector
from functions._platform.domains.metrics.analyzers.signals import (
    MetricsData,
    clamp,
    iso,
    service_signal,
)
from functions._platform.domains.metrics.analyzers.stats import (
    increases,
    median,
    robust_z,
    split,
    sum_by_time,
)
from sreo_events.models import Finding

ERROR_RATIO_SPIKE = FindingKind(
    name="error_ratio_spike", domain="metrics",
    actions=(
        action("what-changed", "Look at what changed in {subject} just before the spike (deploys, config, "
               "dependencies)", None, "low"),
    ),
    mitigation=("Check recent deploys and dependencies of the service; roll back if needed.",
                "Error budget burns quickly."),
    runbook_alerts=("HighErrorRate",),
)


class ErrorRatioSpike:
    kind = "error_ratio_spike"
    kinds = (ERROR_RATIO_SPIKE,)
    scopes = frozenset({"service"})
    healthy_text = "error ratio within its baseline"

    def signals(self, context: AnalysisContext) -> dict[str, str]:
        mapping = context.scope.mapping
        return {"requests": service_selector(mapping.requests_metric, context.scope.service_label, context.scope.service or "")}

    def analyze(self, data: MetricsData, context: AnalysisContext) -> list[Finding]:
        signal = service_signal(data, "requests", context)
        if signal is None:
            return []
        mapping, limits = context.scope.mapping, context.scope.mapping.thresholds
        errors_pattern = re.compile(mapping.error_status_regex)
        per_series = [(s.labels.get(mapping.status_label, ""), increases(s)) for s in signal.series]
        total = sum_by_time([points for _, points in per_series])
        errors = sum_by_time([points for code, points in per_series if errors_pattern.fullmatch(code)])
        spike = ratio_spike(total, errors, context, limits.error_min_requests)
        if spike is None:
            return []
        onset, ratio, base, z = spike.onset, spike.ratio, spike.baseline, spike.z
        by_code: dict[str, float] = defaultdict(float)
        for code, points in per_series:
            by_code[code or "unknown"] += sum(v for _, v in split(points, onset, context.window_s[1]))
        top_codes = dict(sorted(by_code.items(), key=lambda item: -item[1])[:8])
        return [Finding(
            kind=self.kind, subject=context.scope.service,
            severity="critical" if ratio >= 0.1 else "warning",
            score=round(clamp(0.4 + 0.6 * min(1.0, ratio / 0.25)), 3),
            summary=(f"{context.scope.service} error ratio {ratio:.1%} since {iso(onset):%H:%M} UTC "
                     f"against a baseline of {base:.1%} (robust z {z:.1f})"),
            window=context.window, baseline=context.baseline, onset=iso(onset),
            evidence={
                "error_ratio": round(ratio, 5), "baseline_ratio_median": round(base, 5),
                "robust_z": round(z, 2), "requests": round(spike.requests, 1), "errors": round(spike.failed, 1),
                "requests_by_status": {k: round(v, 1) for k, v in top_codes.items()},
                "baseline_buckets": spike.baseline_buckets, "bucket_seconds": mapping.bucket_s,
                **series_evidence(spike.history, spike.baseline_ratios),
            },
            query=signal.query,
        )]


@dataclass
class RatioSpike:
    onset: float
    ratio: float  # failed / requests from the onset to the window's end
    baseline: float  # median ratio of the baseline buckets
    z: float
    requests: float
    failed: float
    baseline_buckets: int
    history: list[tuple[float, float]]  # (bucket start, error ratio) over the baseline and the window, for the chart
    baseline_ratios: list[float]


def ratio_spike(total: dict[float, float], errors: dict[float, float], context: AnalysisContext,
                min_requests: float) -> RatioSpike | None:
    """The first window bucket whose error ratio is a robust outlier against the baseline buckets, and the ratio
    from there to the window's end; None when there is no such spike (or too few buckets to tell)."""
    limits = context.scope.mapping.thresholds
    before = _buckets(total, errors, *context.baseline_s, context, min_requests)
    baseline_ratios = [r for _, r, _ in before]
    window_buckets = _buckets(total, errors, *context.window_s, context, min_requests)
    if len(baseline_ratios) < 3 or not window_buckets:
        return None
    onset = next((start for start, ratio, _ in window_buckets
                  if ratio >= limits.error_min_ratio
                  and robust_z(ratio, baseline_ratios, limits.error_min_sigma) >= limits.error_robust_z), None)
    if onset is None:
        return None
    requests = sum(v for _, v in split(total, onset, context.window_s[1]))
    failed = sum(v for _, v in split(errors, onset, context.window_s[1]))
    ratio = failed / requests if requests else 0.0
    z = robust_z(ratio, baseline_ratios, limits.error_min_sigma)
    if ratio < limits.error_min_ratio or z < limits.error_robust_z:
        return None
    history = [(start, ratio) for start, ratio, _ in before + window_buckets]
    return RatioSpike(onset, ratio, median(baseline_ratios), z, requests, failed, len(baseline_ratios), history,
                      baseline_ratios)


def _buckets(total: dict[float, float], errors: dict[float, float], start: float, end: float,
             context: AnalysisContext, min_requests: float) -> list[tuple[float, float, float]]:
    """(bucket start, error ratio, requests) for buckets with enough requests."""
    size = max(context.scope.mapping.bucket_s, context.scope.step_s)
    sums: dict[float, list[float]] = {}
    for t, v in split(total, start, end):
        bucket = start + ((t - start) // size) * size
        pair = sums.setdefault(bucket, [0.0, 0.0])
        pair[0] += v
        pair[1] += errors.get(t, 0.0)
    return [(bucket, failed / requests, requests) for bucket, (requests, failed) in sorted(sums.items())
            if requests >= min_requests]
