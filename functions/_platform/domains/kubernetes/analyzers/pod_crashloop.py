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


def _is_crashing(status: dict) -> bool:
    return waiting_reason(status) == "CrashLoopBackOff" or (
        _last_reason(status) == "OOMKilled" and status.get("restartCount", 0) > 0)


def _summary(workload: str, containers: list[str], looping: bool, problems: list[dict], reasons: Counter,
             exit_codes: Counter) -> str:
    top_reason, _ = reasons.most_common(1)[0]
    top_code, _ = exit_codes.most_common(1)[0]
    state = "is in CrashLoopBackOff" if looping else "was restarted"
    return (f"{workload}: container {', '.join(containers)} {state} in {len(pods_of(problems))} pod(s); "
            f"last termination {top_reason} (exit code {top_code})")


def _crash_finding(data: ClusterState, context: AnalysisContext, namespace: str, workload: str,
                   problems: list[dict]) -> Finding | None:
    reasons = Counter((p.get("last_termination") or {}).get("reason") or "Unknown" for p in problems)
    exit_codes = Counter(str((p.get("last_termination") or {}).get("exit_code")) for p in problems)
    looping = any(p.get("reason") == "CrashLoopBackOff" for p in problems)
    backoff = [parse_time(e.get("firstTimestamp")) for pod in pods_of(problems)
               for e in events_for(data, namespace, "Pod", pod) if e.get("reason") == "BackOff"]
    onset = earliest([termination_time(p) for p in problems] + backoff)
    if not looping and placement(context, onset) not in ("window", "baseline"):
        return None  # an old OOM kill the container has since recovered from
    containers = sorted({p["container"] for p in problems})
    kind = "pod_oomkilled" if reasons.get("OOMKilled", 0) > 0 else "pod_crashloop"
    return placed_finding(context,
        kind=kind, subject=workload, severity="critical", score=0.9 if looping else 0.75,
        summary=_summary(workload, containers, looping, problems, reasons, exit_codes), onset=onset,
        query=data.query("pods"), persists=looping,
        evidence={"namespace": namespace, "pods": pods_of(problems), "containers": containers,
                  "last_termination_reasons": dict(reasons), "exit_codes": dict(exit_codes),
                  "restarts": sum(p.get("restarts", 0) for p in problems), "containers_detail": problems},
    )


class CrashLoopAnalyzer:
    kind = "pod_crashloop"
    kinds = (POD_CRASHLOOP, POD_OOMKILLED)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for (namespace, workload), problems in sorted(problems_by_workload(data, _is_crashing).items()):
            if (finding := _crash_finding(data, context, namespace, workload, problems)) is not None:
                findings.append(finding)
        return findings
