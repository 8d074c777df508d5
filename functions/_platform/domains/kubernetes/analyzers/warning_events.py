"""Warning events not covered by a dedicated analyzer, grouped by subject and reason: warning_events."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import GENERIC, FindingKind
from functions._platform.domains.kubernetes.analyzers.admission_webhook import webhook_call
from functions._platform.domains.kubernetes.analyzers.aggregated_api import api_groups_named, unavailable_apis
from functions._platform.domains.kubernetes.analyzers.autoscalers import blind_autoscalers
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    earliest,
    event_count,
    event_first_time,
    event_time,
    name_of,
    namespace_of,
    subject_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import clip, placed_finding, placement
from sreo_events.models import Finding

# reasons a dedicated analyzer reads from object status or interprets itself
COVERED_REASONS = {"Unhealthy", "FailedScheduling", "BackOff", "Evicted"}


WARNING_EVENTS = FindingKind(
    name="warning_events", domain="kubernetes",
    actions=GENERIC,  # its evidence says where to look, not what to do
)


def _read_elsewhere(event: dict[str, Any], unavailable_groups: set[str], blind: set[tuple[str, str]]) -> bool:
    """An event a dedicated analyzer reads: its reason is covered, it is a failed webhook call
    (admission_webhook_failing), it names an unavailable aggregated API (aggregated_api_unavailable), or it is
    on an HPA whose status says it cannot read its metrics (hpa_metrics_unavailable)."""
    message = event.get("message")
    involved = event.get("involvedObject") or event.get("regarding") or {}
    return (event.get("reason") in COVERED_REASONS or webhook_call(message) is not None
            or bool(api_groups_named(message) & unavailable_groups)
            or (involved.get("kind") == "HorizontalPodAutoscaler"
                and (namespace_of(event), involved.get("name", "")) in blind))


def _grouped_warnings(data: ClusterState) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """The Warning events no dedicated analyzer reads, grouped by (namespace, subject, reason)."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    down = {api.group for api in unavailable_apis(data)}
    blind = {(namespace_of(hpa), name_of(hpa)) for hpa in blind_autoscalers(data)}
    for event in data.events:
        if event.get("type") != "Warning" or _read_elsewhere(event, down, blind):
            continue
        involved = event.get("involvedObject") or event.get("regarding") or {}
        subject = subject_of(data, involved.get("kind", ""), involved.get("name", ""), namespace_of(event))
        groups[(namespace_of(event), subject, event.get("reason") or "Unknown")].append(event)
    return groups


def _counts_by_placement(context: AnalysisContext, events: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"window": 0, "baseline": 0, "earlier": 0, "untimed": 0}
    for event in events:
        where = placement(context, event_time(event))
        key = {"window": "window", "baseline": "baseline", "unknown": "untimed"}.get(where, "earlier")
        counts[key] += event_count(event)
    return counts


def _score(counts: dict[str, int]) -> float:
    recent = counts["window"] + counts["untimed"]
    rising = counts["window"] > counts["baseline"]
    return min(0.6, 0.3 + 0.03 * recent) if rising or counts["untimed"] else 0.25


def _group_finding(data: ClusterState, context: AnalysisContext, group: tuple[str, str, str],
                   events: list[dict[str, Any]]) -> Finding | None:
    """One group's finding, or None when none of its events is recent or in the baseline."""
    namespace, subject, reason = group
    counts = _counts_by_placement(context, events)
    if counts["window"] + counts["untimed"] == 0 and counts["baseline"] == 0:
        return None
    latest = max(events, key=lambda e: event_time(e) or context.baseline.start)
    return placed_finding(context,
        kind="warning_events", subject=subject, severity="warning", score=_score(counts),
        summary=f"{subject}: {sum(counts.values())} Warning event(s) {reason}: "
                f"{clip(latest.get('message'), 200)}",
        onset=earliest([event_first_time(e) for e in events]), query=data.query("events"),
        evidence={"namespace": namespace, "reason": reason, "counts": counts,
                  "objects": sorted({f"{(e.get('involvedObject') or {}).get('kind')}/"
                                     f"{(e.get('involvedObject') or {}).get('name')}" for e in events}),
                  "messages": sorted({clip(e.get("message"), 200) for e in events})[:10]},
    )


class WarningEventsAnalyzer:
    kind = "warning_events"
    kinds = (WARNING_EVENTS,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for group, events in sorted(_grouped_warnings(data).items()):
            finding = _group_finding(data, context, group, events)
            if finding is not None:
                findings.append(finding)
        return findings
