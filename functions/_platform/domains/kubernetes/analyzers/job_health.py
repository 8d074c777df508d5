"""Jobs that failed (backoff limit or deadline exceeded, pod failure policy) and have not succeeded since:
job_failed. A CronJob's Job counts against the CronJob."""

from __future__ import annotations

from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action, action_per
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    events_for,
    job_workload,
    name_of,
    namespace_of,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import clip, parse_time, placed_finding
from sreo_events.models import Finding


def failed_condition(job: dict[str, Any]) -> dict[str, Any] | None:
    return next((c for c in (job.get("status") or {}).get("conditions") or []
                 if c.get("type") == "Failed" and c.get("status") == "True"), None)


def _succeeded_at(job: dict[str, Any]) -> Any:
    status = job.get("status") or {}
    complete = any(c.get("type") == "Complete" and c.get("status") == "True" for c in status.get("conditions") or [])
    return parse_time(status.get("completionTime")) if complete else None


JOB_FAILED = FindingKind(
    name="job_failed", domain="kubernetes",
    actions=(
        action_per("job", "job-logs", "Read the failed pods' logs of job {job} ({job_reason})",
                   "kubectl logs job/{job} -n {namespace} --tail=200", "low"),
        action_per("job", "job-describe", "Read job {job}'s conditions and pod exit codes",
                   "kubectl describe job {job} -n {namespace}", "low"),
        action("job-rerun", "Once fixed, run {subject} again",
               "kubectl create job --from=cronjob/{subject} {subject}-manual -n {namespace}", "medium", True),
    ),
)


def _latest_successes(data: ClusterState, jobs: list[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    """When each (namespace, workload) last completed a Job."""
    latest_success: dict[tuple[str, str], Any] = {}
    for job in jobs:
        if done := _succeeded_at(job):
            key = (namespace_of(job), job_workload(data, job))
            latest_success[key] = max(done, latest_success.get(key, done))
    return latest_success


def _owned_by_job(pod: dict[str, Any], name: str) -> bool:
    return any(ref.get("kind") == "Job" and ref.get("name") == name
               for ref in (pod.get("metadata") or {}).get("ownerReferences") or [])


def _pod_exits(pods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"pod": name_of(pod), "exit_code": terminated.get("exitCode"), "reason": terminated.get("reason"),
             "message": clip(terminated.get("message"), 200)}
            for pod in pods for status in (pod.get("status") or {}).get("containerStatuses") or []
            if (terminated := (status.get("state") or {}).get("terminated") or {})]


def _template_images(spec: dict[str, Any]) -> list[str]:
    return sorted({c.get("image", "") for c in ((spec.get("template") or {}).get("spec")
                                                or {}).get("containers") or []})


def _job_finding(data: ClusterState, context: AnalysisContext, job: dict[str, Any], condition: dict[str, Any],
                 workload: str, failed_at: Any) -> Finding:
    namespace, name = namespace_of(job), name_of(job)
    pods = [pod for pod in data.pods if namespace_of(pod) == namespace and _owned_by_job(pod, name)]
    spec, status = job.get("spec") or {}, job.get("status") or {}
    reason = condition.get("reason") or "Failed"
    warnings = [clip(e.get("message"), 200) for e in events_for(data, namespace, "Job", name)
                if e.get("type") == "Warning"]
    of_cronjob = workload != name
    return placed_finding(context,
        kind="job_failed", subject=workload, severity="warning" if of_cronjob else "critical",
        score=0.85, onset=failed_at or parse_time(status.get("startTime")),
        summary=f"job/{name}{f' (cronjob/{workload})' if of_cronjob else ''} failed: {reason}: "
                f"{clip(condition.get('message'), 200)}",
        query=data.query("jobs", "pods", "events"), persists=True,
        evidence={"namespace": namespace, "job": name, "cronjob": workload if of_cronjob else None,
                  "reason": reason, "message": clip(condition.get("message")),
                  "failed_pods": status.get("failed", 0), "backoff_limit": spec.get("backoffLimit"),
                  "active_deadline_seconds": spec.get("activeDeadlineSeconds"),
                  "images": _template_images(spec),
                  "pod_exits": _pod_exits(pods), "pods": sorted({name_of(p) for p in pods}),
                  "workloads_of_pods": sorted({workload_of(data, p) for p in pods}), "events": warnings[-5:]},
    )


class JobHealthAnalyzer:
    kind = "job_failed"
    kinds = (JOB_FAILED,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        return [_job_finding(data, context, job, condition, workload, failed_at)
                for job, condition, workload, failed_at in failed_jobs(data)]


def failed_jobs(data: ClusterState, jobs: list[dict[str, Any]] | None = None,
                ) -> list[tuple[dict[str, Any], dict[str, Any], str, Any]]:
    """(Job, its Failed condition, its workload, when it failed) for the Jobs (`data.jobs` unless given) that
    failed and whose workload has not completed a Job since."""
    jobs = data.jobs if jobs is None else jobs
    latest_success = _latest_successes(data, jobs)
    found = []
    for job in jobs:
        condition = failed_condition(job)
        if condition is None:
            continue
        workload = job_workload(data, job)
        failed_at = parse_time(condition.get("lastTransitionTime"))
        recovered = latest_success.get((namespace_of(job), workload))
        if recovered and failed_at and recovered > failed_at:
            continue  # a later run of the same CronJob succeeded
        found.append((job, condition, workload, failed_at))
    return found
