"""hpa_metrics_unavailable: a HorizontalPodAutoscaler cannot read its metrics (ScalingActive=False:
FailedGetResourceMetric, FailedGetPodsMetric, FailedGetObjectMetric, FailedGetExternalMetric, InvalidSelector, ...),
so it cannot scale its workload whatever the load. The finding is on the workload the HPA scales. When the
message names a metrics API (metrics.k8s.io, custom.metrics.k8s.io, external.metrics.k8s.io) whose APIService is
unavailable, the finding names the Service behind it as its `target`: aggregated_api_unavailable is the cause,
this is what it does to the workload."""

from __future__ import annotations

from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action_per
from functions._platform.domains.kubernetes.analyzers.aggregated_api import (
    UnavailableApi,
    api_groups_named,
    unavailable_apis,
)
from functions._platform.domains.kubernetes.analyzers.autoscalers import (
    blind_autoscalers,
    hpa_condition,
    metric_readings,
    replicas,
)
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import name_of, namespace_of, scaled_workload
from functions._platform.domains.kubernetes.analyzers.placement import clip, parse_time, placed_finding
from sreo_events.models import Finding

HPA_METRICS_UNAVAILABLE = FindingKind(
    name="hpa_metrics_unavailable", domain="kubernetes",
    actions=(
        action_per("hpa", "describe-hpa", "Read HPA {hpa}: why it cannot compute a replica count (its ScalingActive "
                   "condition and FailedGet*Metric events)", "kubectl describe hpa {hpa} -n {namespace}", "low"),
        action_per("apiservice", "check-metrics-apiservice", "Check the metrics API {apiservice} HPA {hpa} reads: "
                   "its APIService's Available condition and the pods of the adapter serving it",
                   "kubectl get apiservice {apiservice} -o yaml", "low"),
        action_per("metrics_api", "check-metrics-api", "Check that the {metrics_api} API answers (metrics-server, "
                   "prometheus-adapter or KEDA's metrics server, whichever serves it)",
                   "kubectl get --raw /apis/{metrics_api}", "low"),
        action_per("hpa", "scale-by-hand", "While HPA {hpa} cannot read its metrics, scale {subject} by hand to "
                   "what the load needs", "kubectl scale {workload_kind} {subject} -n {namespace} --replicas=<replicas>",
                   "medium", True),
    ),
    mitigation=(("Restore the metrics API or adapter the HPA reads (or fix its metric selector); scale the workload "
                "by hand meanwhile."),
                "The workload stays at its current replica count: a rise in load saturates it, a fall wastes capacity."),
    runbook_alerts=("KubeHpaReplicasMismatch", "KubeAggregatedAPIDown"),
)


def _evidence(hpa: dict[str, Any], inactive: dict[str, Any], down: list[UnavailableApi]) -> dict[str, Any]:
    ref = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
    current, minimum, maximum = replicas(hpa)
    groups = sorted(api_groups_named(inactive.get("message")))
    evidence: dict[str, Any] = {
        "namespace": namespace_of(hpa), "hpa": name_of(hpa), "kind": ref.get("kind") or "Deployment",
        "scale_target": f"{ref.get('kind')}/{ref.get('name')}", "reason": inactive.get("reason"),
        "message": clip(inactive.get("message"), 300), "current_replicas": current, "min_replicas": minimum,
        "max_replicas": maximum, "metrics": sorted({f"{r.source}/{r.name}" for r in metric_readings(hpa)})}
    if groups:
        evidence["metrics_api"] = groups[0]
    if down:
        evidence |= {"apiservice": down[0].name, "api_service": f"{down[0].namespace}/{down[0].service}",
                     "target": [f"{api.service}.{api.namespace}.svc:443" for api in down]}
    return evidence


class HpaMetricsUnavailableAnalyzer:
    kind = "hpa_metrics_unavailable"
    kinds = (HPA_METRICS_UNAVAILABLE,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        unavailable = unavailable_apis(data)
        findings = []
        for hpa in blind_autoscalers(data):
            inactive = hpa_condition(hpa, "ScalingActive")
            named = api_groups_named(inactive.get("message"))
            down = [api for api in unavailable if api.group in named]
            subject, current = scaled_workload(data, hpa), replicas(hpa)[0]
            behind = f"; the {down[0].group} API it reads is unavailable (APIService {down[0].name})" if down else ""
            findings.append(placed_finding(
                context, kind=self.kind, subject=subject, severity="warning", score=0.45 if down else 0.55,
                summary=f"{subject}: HPA {name_of(hpa)} cannot scale it (ScalingActive=False "
                        f"{inactive.get('reason')}), held at {current} replica(s){behind}: "
                        f"{clip(inactive.get('message'), 200)}",
                onset=parse_time(inactive.get("lastTransitionTime")),
                query=data.query("horizontalpodautoscalers", "apiservices") if down
                else data.query("horizontalpodautoscalers"),
                persists=True, evidence=_evidence(hpa, inactive, down)))
        return findings
