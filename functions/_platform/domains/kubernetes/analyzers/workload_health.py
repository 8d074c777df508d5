"""Deployments, StatefulSets and DaemonSets short of available replicas, or with a stalled rollout:
deployment_unavailable."""

from __future__ import annotations

from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import name_of, namespace_of
from functions._platform.domains.kubernetes.analyzers.placement import clip, parse_time, placed_finding
from sreo_events.models import Finding


def replica_counts(kind: str, obj: dict[str, Any]) -> tuple[int, int]:
    """(desired, available) for a workload object."""
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    if kind == "DaemonSet":
        return status.get("desiredNumberScheduled", 0), status.get("numberAvailable", 0)
    desired = spec.get("replicas", 1)
    available = status.get("availableReplicas" if kind == "Deployment" else "readyReplicas", 0)
    return desired, available or 0


def stalled_condition(obj: dict[str, Any]) -> dict[str, Any] | None:
    for condition in (obj.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Progressing" and condition.get("status") == "False":
            return condition
        if condition.get("type") == "ReplicaFailure" and condition.get("status") == "True":
            return condition
    return None


DEPLOYMENT_UNAVAILABLE = FindingKind(
    name="deployment_unavailable", domain="kubernetes",
    actions=(
        action("describe-deployment", "Inspect why {subject}'s replicas are unavailable",
               "kubectl describe {workload_kind} {subject} -n {namespace}", "low"),
    ),
    runbook_alerts=("KubeDeploymentReplicasMismatch", "KubeDeploymentRolloutStuck"),
)


class WorkloadHealthAnalyzer:
    kind = "deployment_unavailable"
    kinds = (DEPLOYMENT_UNAVAILABLE,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for kind, plural in (("Deployment", "deployments"), ("StatefulSet", "statefulsets"),
                             ("DaemonSet", "daemonsets")):
            for obj in getattr(data, plural):
                desired, available = replica_counts(kind, obj)
                stalled = stalled_condition(obj)
                if desired == 0 or (available >= desired and stalled is None):
                    continue
                name = name_of(obj)
                available_condition = next((c for c in (obj.get("status") or {}).get("conditions") or []
                                            if c.get("type") == "Available"), {})
                onset = parse_time((stalled or available_condition).get("lastTransitionTime"))
                missing = max(0, desired - available)
                why = f"; rollout stalled: {stalled.get('reason')}" if stalled else ""
                findings.append(placed_finding(context, 
                    kind="deployment_unavailable", subject=name,
                    severity="critical" if available == 0 else "warning",
                    score=0.55 + 0.35 * (missing / desired) + (0.05 if stalled else 0.0),
                    summary=f"{kind.lower()}/{name}: {available}/{desired} replicas available{why}",
                    onset=onset, query=data.query(plural), persists=True,
                    evidence={"namespace": namespace_of(obj), "kind": kind, "desired": desired,
                              "available": available,
                              "updated": (obj.get("status") or {}).get("updatedReplicas"),
                              "stalled_reason": stalled.get("reason") if stalled else None,
                              "condition_message": clip((stalled or available_condition).get("message"))},
                ))
        return findings
