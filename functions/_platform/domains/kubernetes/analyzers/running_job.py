"""running_job: a Job started shortly before the trouble (inside the incident window or the baseline just before
it) is still running, and it uses a dependency that workloads of the focus use too: a schema migration holding a
table lock on their database (a Helm pre-upgrade hook), a bulk reindex saturating their search cluster at peak
because its CronJob's schedule moved. The Job's own log is often quiet; the workloads sharing the dependency show
the symptom. The finding is on the Job's workload (its CronJob when it has one), with them as `blocked_callers`
(they wait on what it holds), and the fix is to stop it or let it finish."""

from __future__ import annotations

from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.dependencies import dependencies_of
from functions._platform.domains.kubernetes.analyzers.ownership import (
    job_workload,
    meta,
    name_of,
    namespace_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import parse_time, placed_finding, placement
from sreo_events.models import Finding

HOOK = "helm.sh/hook"

RUNNING_JOB = FindingKind(
    name="running_job", domain="kubernetes",
    actions=(
        action("read-job", "See what Job {job} of {subject} is doing to {shared_text}: it started at {started_at} and "
               "is still running", "kubectl logs -n {namespace} job/{job} --tail=200", "low"),
        action("stop-job", "Stop Job {job} so {shared_text} is free for its other users (a migration rolls back; "
               "run it again off-peak, in smaller steps)", "kubectl delete job -n {namespace} {job}", "medium", True),
    ),
    mitigation=("Stop the running Job, or wait for it to finish; run it again off-peak or in smaller steps.",
                "The workloads sharing its dependency stay degraded for as long as it runs."),
)


def _started_recently(context: AnalysisContext, job: dict[str, Any]) -> bool:
    status = job.get("status") or {}
    started = parse_time(status.get("startTime"))
    return bool(status.get("active")) and placement(context, started) in ("window", "baseline")


class RunningJobAnalyzer:
    kind = "running_job"
    kinds = (RUNNING_JOB,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for job in sorted(data.jobs, key=name_of):
            if not _started_recently(context, job):
                continue
            workload = job_workload(data, job)
            uses = dependencies_of(data, workload)
            sharing = {other: uses & dependencies_of(data, other) for other in sorted(context.focus - {workload})}
            sharing = {other: shared for other, shared in sharing.items() if shared}
            if uses and sharing:
                findings.append(self._finding(data, context, job, workload, sharing))
        return findings

    def _finding(self, data: ClusterState, context: AnalysisContext, job: dict[str, Any], workload: str,
                 sharing: dict[str, set[str]]) -> Finding:
        shared = sorted(set().union(*sharing.values()))
        started = parse_time((job.get("status") or {}).get("startTime"))
        hook = (meta(job).get("annotations") or {}).get(HOOK)
        what = f"Helm {hook} hook Job" if hook else "Job"
        return placed_finding(
            context, kind=self.kind, subject=workload, severity="warning", score=0.6,
            summary=f"{workload}: {what} {name_of(job)} running since {started:%H:%M} UTC uses {', '.join(shared)}, "
                    f"as {', '.join(sharing)} do", onset=started, persists=True, query=data.query("jobs", "pods"),
            evidence={"namespace": namespace_of(job), "job": name_of(job), "started_at": started.isoformat(),
                      "helm_hook": hook, "shared": shared, "shared_text": ", ".join(shared),
                      "blocked_callers": sorted(sharing)})
