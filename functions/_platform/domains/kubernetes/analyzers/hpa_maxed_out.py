"""hpa_maxed_out: a HorizontalPodAutoscaler runs its workload at maxReplicas (ScalingLimited=True, TooManyReplicas)
while a metric is still above its target: the workload wants more replicas than it may have, so each replica
stays saturated. A capacity symptom, never a cause by itself: the finding is on the workload the HPA scales."""

from __future__ import annotations

import math
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action, action_per
from functions._platform.domains.kubernetes.analyzers.autoscalers import (
    MetricReading,
    hpa_condition,
    metric_readings,
    replicas,
)
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import name_of, namespace_of, scaled_workload
from functions._platform.domains.kubernetes.analyzers.placement import clip, parse_time, placed_finding
from sreo_events.models import Finding

HPA_MAXED_OUT = FindingKind(
    name="hpa_maxed_out", domain="kubernetes",
    actions=(
        action_per("hpa", "describe-hpa", "Read HPA {hpa}: its metrics against their targets and its scaling events",
                   "kubectl describe hpa {hpa} -n {namespace}", "low"),
        action("find-saturation", "Find what saturates {subject}: the traffic behind the rise, or a per-replica cost "
               "(a CPU limit, a slow dependency) that more replicas would only hide", None, "low"),
        action_per("hpa", "raise-max-replicas", "Raise maxReplicas of HPA {hpa} from {max_replicas} towards the "
                   "{wanted_replicas} its metrics ask for, once the nodes and quotas have room",
                   "kubectl patch hpa {hpa} -n {namespace} --type merge -p "
                   "'{{\"spec\":{{\"maxReplicas\":{wanted_replicas}}}}}'", "medium", True),
    ),
    mitigation=(("Raise the HPA's maxReplicas where the cluster has room, or cut the load or per-replica cost that "
                "saturates it."),
                "Every replica stays saturated: latency grows and requests time out until the load falls."),
    runbook_alerts=("KubeHpaMaxedOut",),
)


def _ratio(above: list[MetricReading]) -> float:
    """How far the metric furthest above its target is above it (1.5: half as much again)."""
    return max((reading.current or 0) / reading.target if reading.target else 2.0 for reading in above)


def _wanted_replicas(current: int, above: list[MetricReading]) -> int:
    """What the HPA's own rule (current x current/target, rounded up) asks for."""
    return max(current + 1, math.ceil(current * _ratio(above)))


def _maxed_out(hpa: dict[str, Any]) -> tuple[dict[str, Any], list[MetricReading]] | None:
    """The ScalingLimited condition and the metrics above their target, when the HPA is pinned at its maximum."""
    current, _, maximum = replicas(hpa)
    limited = hpa_condition(hpa, "ScalingLimited")
    if not maximum or current < maximum or limited.get("status") != "True" or limited.get("reason") != "TooManyReplicas":
        return None
    above = [reading for reading in metric_readings(hpa) if reading.above_target]
    return (limited, above) if above else None


class HpaMaxedOutAnalyzer:
    kind = "hpa_maxed_out"
    kinds = (HPA_MAXED_OUT,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for hpa in data.horizontalpodautoscalers:
            if (pinned := _maxed_out(hpa)) is None:
                continue
            limited, above = pinned
            current, minimum, maximum = replicas(hpa)
            subject, ref = scaled_workload(data, hpa), (hpa.get("spec") or {}).get("scaleTargetRef") or {}
            ratio = _ratio(above)
            metrics = [reading.describe() for reading in above]
            findings.append(placed_finding(
                context, kind=self.kind, subject=subject, severity="warning", score=min(0.7, 0.4 + 0.1 * ratio),
                summary=f"{subject}: HPA {name_of(hpa)} holds it at maxReplicas {maximum} and its metrics are still "
                        f"above target: {'; '.join(metrics)}",
                onset=parse_time(limited.get("lastTransitionTime")) or parse_time(
                    (hpa.get("status") or {}).get("lastScaleTime")),
                query=data.query("horizontalpodautoscalers"), persists=True,
                evidence={"namespace": namespace_of(hpa), "hpa": name_of(hpa),
                          "scale_target": f"{ref.get('kind')}/{ref.get('name')}", "current_replicas": current,
                          "min_replicas": minimum, "max_replicas": maximum,
                          "wanted_replicas": _wanted_replicas(current, above), "metrics": metrics,
                          "condition": f"ScalingLimited=True {limited.get('reason')}: "
                                       f"{clip(limited.get('message'), 200)}"}))
        return findings
