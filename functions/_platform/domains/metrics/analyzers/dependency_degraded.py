"""dependency_degraded: calls from the analysed service (as `client`) to one server got slower or fail more.

Reads trace-derived service-graph metrics, per edge. Latency: the client-observed histogram quantile per step;
degraded from the first window point at >= `edge_latency_factor` x the baseline median (and above
`edge_latency_min_seconds`) when the median from there to the window's end stays there. Failures: the edge's
failed / total ratio spikes like `error_ratio_spike` (robust z against baseline buckets).

Per-edge evidence points at the callee even when its own metrics stay flat (a slow network or connection), so
the finding's subject is the server. A low-strength companion finding on the client names the server as its
`dependency`, so the ranking hands the client's blame to the callee.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.metrics.analyzers.error_ratio_spike import RatioSpike, ratio_spike
from functions._platform.domains.metrics.analyzers.latency_creep import histogram_points
from functions._platform.domains.metrics.analyzers.mapping import Thresholds
from functions._platform.domains.metrics.analyzers.selectors import service_selector
from functions._platform.domains.metrics.analyzers.signals import (
    MetricsData,
    SignalData,
    clamp,
    iso,
    service_signal,
)
from functions._platform.domains.metrics.analyzers.stats import increases, median, split, sum_by_time
from functions._platform.domains.metrics.source.models import Series
from functions._platform.topology.builders.traces import server_node
from sreo_events.models import Finding

MIN_POINTS = 3
COMPANION_SCORE = 0.3  # the client's own symptom is seen elsewhere; this finding only names the dependency


@dataclass
class Latency:
    baseline: float
    since_onset: float
    onset: float | None  # None: not degraded


@dataclass
class Edge:
    server: str
    node: str
    total: dict[float, float]
    failed: dict[float, float]
    client: dict[float, float]
    server_side: dict[float, float]


DEPENDENCY_DEGRADED = FindingKind(
    name="dependency_degraded", domain="metrics",
    actions=(
        action("check-edge", "Check the calls from {client} to {server}: compare {server}'s own server time with what "
               "{client} sees, then the network, DNS and connection pool between them", None, "low"),
    ),
    mitigation=(("Compare the callee's own server time with what the caller sees; if only the caller's "
                 "side moved, check the network, DNS and connection pool between them."),
                "Callers slow down or fail with the edge; retries can amplify the load."),
    runbook_alerts=("LatencySLOBurn", "HighErrorRate"),
)

# Emitted by correlate's ranking for a callee ranked only because its callers wait on it (no finding of its own).
DEPENDENCY_DELAY = FindingKind(
    name="dependency_delay", domain="correlate",
    actions=(
        action("check-path-to", "Check the calls to {subject} from the callers that wait on it: the network path, DNS "
               "and connection pools between them (its own metrics stayed flat)", None, "low"),
    ),
)

class DependencyDegraded:
    kind = "dependency_degraded"
    kinds = (DEPENDENCY_DEGRADED,)
    scopes = frozenset({"service"})
    healthy_text = "calls to its dependencies keep their baseline latency and failure ratio"

    def signals(self, context: AnalysisContext) -> dict[str, str]:
        mapping = context.scope.mapping
        metrics = {"requests": mapping.edge_requests_metric, "failed": mapping.edge_failed_metric,
                   "client_latency": mapping.edge_client_latency_metric,
                   "server_latency": mapping.edge_server_latency_metric}
        return {name: service_selector(metric, mapping.edge_client_label, context.scope.service or "")
                for name, metric in metrics.items()}

    def analyze(self, data: MetricsData, context: AnalysisContext) -> list[Finding]:
        if service_signal(data, "requests", context) is None:
            return []
        findings: list[Finding] = []
        for edge in _edges(data, context):
            findings.extend(self._edge_findings(edge, data, context))
        return findings

    def _edge_findings(self, edge: Edge, data: MetricsData, context: AnalysisContext) -> list[Finding]:
        limits = context.scope.mapping.thresholds
        window_requests = sum(v for _, v in split(edge.total, *context.window_s))
        if window_requests < limits.edge_min_requests or edge.node == context.scope.service:
            return []
        client = _latency_change(edge.client, context)
        slower = client if client is not None and client.onset is not None else None
        failures = ratio_spike(edge.total, edge.failed, context, limits.error_min_requests)
        if slower is None and failures is None:
            return []
        onset = min(t for t in (slower.onset if slower else None, failures.onset if failures else None)
                    if t is not None)
        if client is not None and slower is None:
            client = _latency_change(edge.client, context, onset)
        server = _latency_change(edge.server_side, context, slower.onset if slower else onset)
        severity, score = _grade(slower, failures, limits)
        summary = _summary(context.scope.service or "", edge.node, slower, server, failures, context)
        query = "; ".join(data[name].query for name in ("client_latency", "server_latency", "requests", "failed")
                          if name in data)
        cause = Finding(kind=self.kind, subject=edge.node, severity=severity, score=score, summary=summary,
                        window=context.window, baseline=context.baseline, onset=iso(onset),
                        evidence=self._evidence(edge, context, onset, client, server, failures), query=query)
        companion = Finding(
            kind=self.kind, subject=context.scope.service or "", severity="info", score=COMPANION_SCORE,
            summary=(f"{context.scope.service}: its calls to {edge.node} degraded since {iso(onset):%H:%M} UTC; "
                     f"the finding on {edge.node} carries the per-edge evidence"),
            window=context.window, baseline=context.baseline, onset=iso(onset),
            evidence={"dependency": edge.node, "client": context.scope.service, "server": edge.server, "role": "client"},
            query=query)
        return [cause, companion]

    @staticmethod
    def _evidence(edge: Edge, context: AnalysisContext, onset: float, client: Latency | None,
                  server: Latency | None, failures: RatioSpike | None) -> dict:
        end = context.window_s[1]
        base_total = sum(v for _, v in split(edge.total, *context.baseline_s))
        base_failed = sum(v for _, v in split(edge.failed, *context.baseline_s))
        since_total = sum(v for _, v in split(edge.total, onset, end))
        since_failed = sum(v for _, v in split(edge.failed, onset, end))
        return {
            "client": context.scope.service, "server": edge.server,
            "quantile": context.scope.mapping.latency_quantile,
            "client_latency_baseline_seconds": round(client.baseline, 6) if client else None,
            "client_latency_window_seconds": round(client.since_onset, 6) if client else None,
            "server_latency_baseline_seconds": round(server.baseline, 6) if server else None,
            "server_latency_window_seconds": round(server.since_onset, 6) if server else None,
            "failure_ratio_baseline": round(base_failed / base_total, 5) if base_total else None,
            "failure_ratio_window": round(since_failed / since_total, 5) if since_total else None,
            "failure_ratio_robust_z": round(failures.z, 2) if failures else None,
            "requests_baseline": round(base_total, 1), "requests_window": round(since_total, 1),
            "failed_window": round(since_failed, 1),
            "latency_degraded": client is not None and client.onset is not None,
            "failures_degraded": failures is not None,
        }


def _edges(data: MetricsData, context: AnalysisContext) -> list[Edge]:
    """Per server label: summed request and failure increases, and per-step client / server latency quantiles."""
    mapping = context.scope.mapping
    label = mapping.edge_server_label
    grouped: dict[str, dict[str, list[Series]]] = defaultdict(lambda: defaultdict(list))
    for name in ("requests", "failed", "client_latency", "server_latency"):
        for series in (data.get(name) or SignalData([], "")).series:
            if series.labels.get(label):
                grouped[series.labels[label]][name].append(series)
    edges = []
    for server, parts in sorted(grouped.items()):
        if not parts["requests"]:
            continue
        edges.append(Edge(
            server=server, node=server_node(parts["requests"][0].labels)[0],
            total=sum_by_time([increases(s) for s in parts["requests"]]),
            failed=sum_by_time([increases(s) for s in parts["failed"]]),
            client=histogram_points(parts["client_latency"], context),
            server_side=histogram_points(parts["server_latency"], context)))
    return edges


def _latency_change(points: dict[float, float], context: AnalysisContext,
                    since: float | None = None) -> Latency | None:
    """Baseline median and the median from the onset (`since`, else the first degraded point) to the window's end;
    None without enough points."""
    limits = context.scope.mapping.thresholds
    baseline = [v for _, v in split(points, *context.baseline_s) if math.isfinite(v)]
    window = [(t, v) for t, v in split(points, *context.window_s) if math.isfinite(v)]
    if len(baseline) < MIN_POINTS or len(window) < MIN_POINTS:
        return None
    base = median(baseline)
    floor = max(base * limits.edge_latency_factor, limits.edge_latency_min_seconds)
    onset = next((t for t, v in window if v >= floor), None)
    start = since if since is not None else onset
    if start is None:
        return Latency(base, median([v for _, v in window]), None)
    after = [v for t, v in window if t >= start] or [window[-1][1]]
    value = median(after)
    degraded = onset is not None and value >= floor and len(after) >= MIN_POINTS
    return Latency(base, value, onset if degraded else None)


def _grade(latency: Latency | None, failures: RatioSpike | None, limits: Thresholds) -> tuple[str, float]:
    """Severity and score; a warning scores at least 0.5 so the callee counts as anomalous in the ranking."""
    severity, score = "warning", 0.0
    if latency is not None:
        factor = latency.since_onset / latency.baseline if latency.baseline > 0 else 2 * limits.edge_latency_factor
        score = max(score, 0.5 + 0.5 * min(1.0, math.log2(max(factor, 1.0)) / 3))
        if factor >= 2 * limits.edge_latency_factor:
            severity = "critical"
    if failures is not None:
        score = max(score, 0.5 + 0.5 * min(1.0, failures.ratio / 0.25))
        if failures.ratio >= 0.1:
            severity = "critical"
    return severity, round(clamp(score), 3)


def _summary(client_name: str, server: str, client: Latency | None, server_side: Latency | None,
             failures: RatioSpike | None, context: AnalysisContext) -> str:
    label = f"p{context.scope.mapping.latency_quantile * 100:g}"
    parts = []
    if client is not None:
        parts.append(f"calls from {client_name} got slower, {label} {client.baseline:.2f} s -> "
                     f"{client.since_onset:.2f} s (client-observed)")
    if failures is not None:
        parts.append(f"{'and ' if parts else 'calls from ' + client_name + ' '}fail {failures.ratio:.1%} "
                     f"against a baseline of {failures.baseline:.1%} (robust z {failures.z:.1f})")
    text = f"{server}: " + ", ".join(parts)
    if server_side is None:
        return text + f": the network or connection between them, or {server} itself"
    possessive = f"{server}'" if server.endswith("s") else f"{server}'s"
    own = f"{possessive} own server time"
    times = f"{server_side.baseline:.2f} s -> {server_side.since_onset:.2f} s"
    if server_side.onset is not None:
        return text + f", and {own} rose too, {times}: {server} itself is slow"
    return text + f", while {own} stayed {times}: the network or connection between them, or {server} itself"
