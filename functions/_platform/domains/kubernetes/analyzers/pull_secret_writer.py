"""pull_secret_not_refreshed: pods cannot pull their image because the registry refuses their credentials ("403
Forbidden", "no basic auth credentials", "authorization token has expired"), and the Job that writes their pull
secret (ECR tokens live 12 hours, so a CronJob renews them) has been failing: the secret went stale. The pods show
the symptom; the finding is on that Job's workload (its CronJob), which names the secret in its config, with the
refused workloads as `blocked_callers`."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.image_pull import PULL_REASONS
from functions._platform.domains.kubernetes.analyzers.job_health import failed_jobs
from functions._platform.domains.kubernetes.analyzers.ownership import (
    by_key,
    container_statuses,
    earliest,
    event_first_time,
    events_for,
    job_workload,
    name_of,
    namespace_of,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import placed_finding
from functions._platform.topology.builders.config_values import config_text
from sreo_events.models import Finding

_DENIED = re.compile(r"\b40[13]\b|unauthorized|forbidden|authentication required|no basic auth credentials|"
                     r"access denied|token has expired", re.IGNORECASE)


def denied_pulls(data: ClusterState) -> dict[str, set[tuple[str, str]]]:
    """pull secret name -> the (namespace, workload) whose pods pull with it and are refused by the registry."""
    return {secret: {key for key, _ in refusals} for secret, refusals in _refusals(data).items()}


def _refusals(data: ClusterState) -> dict[str, list[tuple[tuple[str, str], datetime | None]]]:
    """pull secret name -> ((namespace, workload), when the registry first refused it) for each refused pod."""
    found: dict[str, list[tuple[tuple[str, str], datetime | None]]] = {}
    for pod in data.pods:
        if not any(((s.get("state") or {}).get("waiting") or {}).get("reason") in PULL_REASONS
                   for s in container_statuses(pod)):
            continue
        namespace = namespace_of(pod)
        refused = [e for e in events_for(data, namespace, "Pod", name_of(pod))
                   if "pull" in (e.get("message") or "").lower() and _DENIED.search(e.get("message") or "")]
        if not refused:
            continue
        first = earliest([event_first_time(e) for e in refused])
        for secret in (pod.get("spec") or {}).get("imagePullSecrets") or []:
            if secret.get("name"):
                found.setdefault(secret["name"], []).append(((namespace, workload_of(data, pod)), first))
    return found


def failing_jobs(jobs: list[dict[str, Any]], data: ClusterState) -> list[dict[str, Any]]:
    """The last failed Job of each Job workload (a CronJob's runs count as one) that has not succeeded since."""
    latest: dict[tuple[str, str], tuple[dict[str, Any], Any]] = {}
    for job, _, workload, failed_at in failed_jobs(data, jobs):
        key = (namespace_of(job), workload)
        if key not in latest or (failed_at and (latest[key][1] is None or failed_at > latest[key][1])):
            latest[key] = (job, failed_at)
    return [job for job, _ in latest.values()]


def secret_writers(data: ClusterState, secrets: set[str]) -> dict[tuple[str, str], tuple[dict[str, Any], set[str]]]:
    """(namespace, workload) of the failing Jobs whose config names one of `secrets` -> (latest Job, those named)."""
    found = {}
    cronjobs = by_key(data, "cronjobs")
    for job in failing_jobs(data.jobs, data):
        cronjob = cronjobs.get((namespace_of(job), job_workload(data, job))) or {}
        templates = [(job.get("spec") or {}).get("template") or {},  # and what its CronJob runs next
                     (((cronjob.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}).get("template") or {}]
        text = "\n".join(config_text(data, namespace_of(job), template) for template in templates)
        named = {secret for secret in secrets if re.search(rf"(?<![\w-]){re.escape(secret)}(?![\w-])", text)}
        if named:
            found[(namespace_of(job), job_workload(data, job))] = (job, named)
    return found


PULL_SECRET_NOT_REFRESHED = FindingKind(
    name="pull_secret_not_refreshed", domain="kubernetes",
    actions=(
        action("fix-writer", "Fix {subject}, which renews pull secret {secrets_text}: its last run {job} failed",
               "kubectl logs -n {namespace} job/{job}", "low"),
        action("rerun-writer", "Run {subject} once by hand after the fix so {secrets_text} is fresh again",
               "kubectl create job -n {namespace} --from=cronjob/{subject} {subject}-manual", "medium", True),
    ),
    mitigation=("Fix the Job that renews the pull secret (its credentials, its role) and run it once.",
                "Every new pod pulling with the stale secret fails: rollouts and scale-ups stall."),
)


class PullSecretWriterAnalyzer:
    kind = "pull_secret_not_refreshed"
    kinds = (PULL_SECRET_NOT_REFRESHED,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        refusals = _refusals(data)
        denied = {secret: {key for key, _ in found} for secret, found in refusals.items()}
        findings = []
        for (namespace, workload), (job, named) in sorted(secret_writers(data, set(denied)).items()):
            blocked = sorted({w for secret in named for _, w in denied[secret]} - {workload})
            status = job.get("status") or {}
            findings.append(placed_finding(
                context, kind=self.kind, subject=workload, severity="critical", score=0.85,
                summary=f"{workload}: its last run {name_of(job)} failed ({status.get('failed')} attempt(s)), and it "
                        f"writes pull secret {', '.join(sorted(named))} that the registry now refuses for "
                        f"{', '.join(blocked)}",
                # it failed long before; the stale secret harmed from the registry's first refusal
                onset=earliest([at for secret in named for _, at in refusals[secret]]), persists=True,
                query=data.query("jobs", "pods", "events"),
                evidence={"namespace": namespace, "job": name_of(job), "secrets": sorted(named),
                          "secrets_text": ", ".join(sorted(named)), "blocked_callers": blocked}))
        return findings
