"""Failing readiness, liveness and startup probes, from `Unhealthy` events: probe_failure."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    earliest,
    event_count,
    event_first_time,
    event_time,
    namespace_of,
    subject_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import clip, placed_finding, placement
from sreo_events.models import Finding

PROBE = re.compile(r"^(Readiness|Liveness|Startup) probe (?:failed|errored)", re.IGNORECASE)


PROBE_FAILURE = FindingKind(
    name="probe_failure", domain="kubernetes",
    actions=(
        action("check-probes", "Check why {subject}'s probes fail (slow start, wrong path or port)",
               "kubectl describe pods -n {namespace} {pod}", "low"),
    ),
    runbook_alerts=("KubePodNotReady",),
)


class ProbeFailureAnalyzer:
    kind = "probe_failure"
    kinds = (PROBE_FAILURE,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for event in data.events:
            match = PROBE.match(event.get("message") or "")
            if event.get("reason") != "Unhealthy" or not match:
                continue
            involved = event.get("involvedObject") or event.get("regarding") or {}
            subject = subject_of(data, involved.get("kind", ""), involved.get("name", ""), namespace_of(event))
            groups[(namespace_of(event), subject, match.group(1).lower())].append(event)
        findings = []
        for (namespace, subject, probe), events in sorted(groups.items()):
            counts = {"window": 0, "baseline": 0, "earlier": 0}
            for event in events:
                where = placement(context, event_time(event))
                key = where if where in ("window", "baseline") else "earlier"
                counts[key] += event_count(event)
            if counts["window"] + counts["baseline"] == 0 and all(event_time(e) for e in events):
                continue  # only stale events
            total = sum(counts.values())
            severity = "critical" if probe == "liveness" else "warning"
            latest = max(events, key=lambda e: event_time(e) or context.baseline.start)
            findings.append(placed_finding(context, 
                kind="probe_failure", subject=subject, severity=severity,
                score=min(0.8, 0.5 + 0.03 * total), onset=earliest([event_first_time(e) for e in events]),
                summary=f"{subject}: {probe} probe failed {total} time(s): {clip(latest.get('message'), 200)}",
                query=data.query("events"),
                evidence={"namespace": namespace, "probe": probe, "failures": counts,
                          "pods": sorted({(e.get("involvedObject") or {}).get("name", "") for e in events}),
                          "last_message": clip(latest.get("message"))},
            ))
        return findings
