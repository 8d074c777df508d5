"""scaler_controller_down: a workload's HorizontalPodAutoscaler is managed by a controller
(`app.kubernetes.io/managed-by: keda-operator`: KEDA creates `keda-hpa-<name>` for each ScaledObject) whose own
pods are crash-looping or unready. The HPA cannot scale a target at zero ("scaling is disabled since the replica
count of the target is zero"): waking it is the controller's job, so the workload stays at zero however much work
waits. The finding is on the controller, with the scaled workloads as `blocked_callers`."""

from __future__ import annotations

from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    meta,
    name_of,
    namespace_of,
    pods_of,
    scaled_workload,
    troubled,
)
from functions._platform.domains.kubernetes.analyzers.placement import placed_finding
from sreo_events.models import Finding

MANAGED_BY = "app.kubernetes.io/managed-by"


def managed_autoscalers(data: ClusterState) -> dict[str, list[dict[str, Any]]]:
    """controller name -> the HPAs it manages (by their managed-by label; Helm's own label is not a controller)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for hpa in data.horizontalpodautoscalers:
        controller = (meta(hpa).get("labels") or {}).get(MANAGED_BY)
        if controller and controller.lower() != "helm":
            found.setdefault(controller, []).append(hpa)
    return found


def _at_zero(hpa: dict[str, Any]) -> bool:
    status = hpa.get("status") or {}
    disabled = any(c.get("type") == "ScalingActive" and c.get("reason") == "ScalingDisabled"
                   for c in status.get("conditions") or [])
    return disabled or status.get("currentReplicas") == 0


SCALER_CONTROLLER_DOWN = FindingKind(
    name="scaler_controller_down", domain="kubernetes",
    actions=(
        action("fix-controller", "Fix {subject}, which manages the autoscalers of {victims_text}: while it is down "
               "they are not scaled (from zero, not at all)", "kubectl logs -n {namespace} deploy/{subject} --previous",
               "low"),
        action("scale-by-hand", "Scale {victims_text} by hand until {subject} runs", None, "medium", True),
    ),
    mitigation=(("Fix or roll back the controller that manages the autoscalers (its CRDs, its version); scale the "
                "stuck workloads by hand meanwhile."),
                "Workloads scaled to zero stay there however much work waits."),
)


class ScalerControllerAnalyzer:
    kind = "scaler_controller_down"
    kinds = (SCALER_CONTROLLER_DOWN,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for controller, hpas in sorted(managed_autoscalers(data).items()):
            pods = [pod for pod in pods_of(data, controller) if troubled(pod)]
            if not pods:
                continue
            stuck = sorted({scaled_workload(data, hpa) for hpa in hpas if _at_zero(hpa)})
            scaled = sorted({scaled_workload(data, hpa) for hpa in hpas} - {controller})
            findings.append(placed_finding(
                context, kind=self.kind, subject=controller, severity="critical" if stuck else "warning",
                score=min(0.95, 0.8 + 0.05 * len(stuck)) if stuck else 0.5,
                summary=f"{controller} ({namespace_of(pods[0])}) is crash-looping or unready and manages the "
                        f"autoscalers of {', '.join(scaled)}" + (f"; {', '.join(stuck)} stay(s) at zero" if stuck else ""),
                onset=None, persists=True, query=data.query("horizontalpodautoscalers", "pods"),
                evidence={"namespace": namespace_of(pods[0]), "autoscalers": sorted(name_of(h) for h in hpas),
                          "at_zero": stuck, "victims_text": ", ".join(scaled), "blocked_callers": scaled}))
        return findings
