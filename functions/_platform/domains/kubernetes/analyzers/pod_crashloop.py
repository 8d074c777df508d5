"""Containers in CrashLoopBackOff or recently killed: pod_crashloop, pod_oomkilled, container_restarts."""

from __future__ import annotations

from collections import Counter

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import earliest, events_for
from functions._platform.domains.kubernetes.analyzers.placement import parse_time, placed_finding, placement
from functions._platform.domains.kubernetes.analyzers.pod_problems import (
    pods_of,
    problems_by_workload,
    termination_time,
    waiting_reason,
)
from sreo_events.models import Finding


def _last_reason(status: dict) -> str | None:
    return ((status.get("lastState") or {}).get("terminated") or {}).get("reason")


POD_CRASHLOOP = FindingKind(
    name="pod_crashloop", domain="kubernetes",
    actions=(
        action("previous-logs", "Read the crashed container's last logs of {subject}",
               "kubectl logs deployment/{subject} -n {namespace} -c {container} --previous --tail=200", "low"),
        action("describe-pods", "Read the termination reason and events of {subject}'s pods",
               "kubectl describe pods -n {namespace} {pod}", "low"),
    ),
    runbook_alerts=("KubePodCrashLooping",),
)
POD_OOMKILLED = FindingKind(
    name="pod_oomkilled", domain="kubernetes",
    actions=(
        action("raise-memory-limit", "Raise the memory limit of container {container} in {subject} (or fix the leak)",
               "kubectl set resources deployment/{subject} -n {namespace} -c {container} --limits=memory=<new limit>",
               "medium", True),
        action("memory-usage", "Compare {subject}'s memory use with its limit",
               "kubectl top pod -n {namespace} --containers {pod}", "low"),
    ),
    runbook_alerts=("KubeContainerOOMKilled", "KubePodCrashLooping"),
)


class CrashLoopAnalyzer:
    kind = "pod_crashloop"
    kinds = (POD_CRASHLOOP, POD_OOMKILLED)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        crashing = problems_by_workload(data, lambda s: waiting_reason(s) == "CrashLoopBackOff"
                                        or (_last_reason(s) == "OOMKilled" and s.get("restartCount", 0) > 0))
        for (namespace, workload), problems in sorted(crashing.items()):
            reasons = Counter((p.get("last_termination") or {}).get("reason") or "Unknown" for p in problems)
            exit_codes = Counter(str((p.get("last_termination") or {}).get("exit_code")) for p in problems)
            oom = reasons.get("OOMKilled", 0) > 0
            looping = any(p.get("reason") == "CrashLoopBackOff" for p in problems)
            backoff = [parse_time(e.get("firstTimestamp")) for pod in pods_of(problems)
                       for e in events_for(data, namespace, "Pod", pod) if e.get("reason") == "BackOff"]
            onset = earliest([termination_time(p) for p in problems] + backoff)
            if not looping and placement(context, onset) not in ("window", "baseline"):
                continue  # an old OOM kill the container has since recovered from
            containers = sorted({p["container"] for p in problems})
            top_reason, _ = reasons.most_common(1)[0]
            top_code, _ = exit_codes.most_common(1)[0]
            kind = "pod_oomkilled" if oom else "pod_crashloop"
            state = "is in CrashLoopBackOff" if looping else "was restarted"
            summary = (f"{workload}: container {', '.join(containers)} {state} in {len(pods_of(problems))} pod(s); "
                       f"last termination {top_reason} (exit code {top_code})")
            findings.append(placed_finding(context, 
                kind=kind, subject=workload, severity="critical", score=0.9 if looping else 0.75,
                summary=summary, onset=onset, query=data.query("pods"), persists=looping,
                evidence={"namespace": namespace, "pods": pods_of(problems), "containers": containers,
                          "last_termination_reasons": dict(reasons), "exit_codes": dict(exit_codes),
                          "restarts": sum(p.get("restarts", 0) for p in problems), "containers_detail": problems},
            ))
        return findings
