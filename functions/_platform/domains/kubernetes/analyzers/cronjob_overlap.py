"""A CronJob whose runs overlap: cronjob_runs_overlap. With `concurrencyPolicy: Allow` a run that outlasts the
schedule leaves the next one running beside it, and each holds what one run holds (connections, locks, memory):
the number of clients it puts on what it calls grows with every schedule. A change in the "when" sense: it began
when a second run started while the first was still active."""

from __future__ import annotations

from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import name_of, namespace_of
from functions._platform.domains.kubernetes.analyzers.placement import parse_time, placed_finding
from sreo_events.models import Finding

CRONJOB_RUNS_OVERLAP = FindingKind(
    name="cronjob_runs_overlap", domain="kubernetes",
    actions=(
        action("forbid-overlap", "Stop {subject}'s runs from overlapping (concurrencyPolicy: Forbid)",
               "kubectl patch cronjob {subject} -n {namespace} -p '{{\"spec\":{{\"concurrencyPolicy\":\"Forbid\"}}}}'",
               "medium", True),
        action("suspend", "Suspend {subject} while its active runs finish",
               "kubectl patch cronjob {subject} -n {namespace} -p '{{\"spec\":{{\"suspend\":true}}}}'", "medium", True),
    ),
    is_change=True,
)


def _started(data: ClusterState, namespace: str, names: set[str]) -> list[Any]:
    return sorted(start for job in data.jobs if namespace_of(job) == namespace and name_of(job) in names
                  if (start := parse_time((job.get("status") or {}).get("startTime"))) is not None)


class CronJobOverlapAnalyzer:
    kind = "cronjob_runs_overlap"
    kinds = (CRONJOB_RUNS_OVERLAP,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for cronjob in data.cronjobs:
            spec, status = cronjob.get("spec") or {}, cronjob.get("status") or {}
            active = {ref.get("name") for ref in status.get("active") or [] if ref.get("name")}
            if len(active) < 2 or spec.get("concurrencyPolicy", "Allow") != "Allow":
                continue
            namespace = namespace_of(cronjob)
            starts = _started(data, namespace, active)
            findings.append(placed_finding(context,
                kind="cronjob_runs_overlap", subject=name_of(cronjob), severity="warning", score=0.6,
                summary=f"cronjob/{name_of(cronjob)} has {len(active)} runs active at once (schedule "
                        f"{spec.get('schedule')!r}, concurrencyPolicy Allow): each run outlasts the schedule",
                onset=starts[1] if len(starts) > 1 else None, persists=True, query=data.query("cronjobs", "jobs"),
                evidence={"namespace": namespace, "active_runs": len(active), "schedule": spec.get("schedule"),
                          "concurrency_policy": "Allow", "overlapping_since": starts[1].isoformat()
                          if len(starts) > 1 else None,
                          # each overlapping run is one more client of what the CronJob calls
                          "changed_at": [start.isoformat() for start in starts[1:]]},
            ))
        return findings
