"""PersistentVolumeClaims stuck Pending or Lost: pvc_pending."""

from __future__ import annotations

from events.models import Finding
from functions._platform.analyzers.kubernetes.base import AnalysisContext, ClusterState, clip, parse_time
from functions._platform.analyzers.kubernetes.ownership import (
    events_for,
    meta,
    name_of,
    namespace_of,
    workload_of,
)


class PvcHealthAnalyzer:
    name = "pvc_health"

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for claim in data.persistentvolumeclaims:
            phase = (claim.get("status") or {}).get("phase")
            if phase not in ("Pending", "Lost"):
                continue
            name, namespace = name_of(claim), namespace_of(claim)
            consumers = sorted({workload_of(data, pod) for pod in data.pods if namespace_of(pod) == namespace
                                and any((v.get("persistentVolumeClaim") or {}).get("claimName") == name
                                        for v in (pod.get("spec") or {}).get("volumes") or [])})
            warnings = [e for e in events_for(data, namespace, "PersistentVolumeClaim", name)
                        if e.get("type") == "Warning"]
            reason = clip(warnings[-1].get("message")) if warnings else f"claim is {phase}"
            findings.append(context.finding(
                kind="pvc_pending", subject=consumers[0] if consumers else f"pvc/{name}",
                severity="critical" if phase == "Lost" or consumers else "warning", score=0.75,
                summary=f"pvc/{name} is {phase}: {reason}",
                onset=parse_time(meta(claim).get("creationTimestamp")),
                query=data.query("persistentvolumeclaims", "events"),
                evidence={"namespace": namespace, "pvc": name, "phase": phase,
                          "storage_class": (claim.get("spec") or {}).get("storageClassName"),
                          "consumers": consumers, "events": [clip(e.get("message"), 200) for e in warnings[-5:]]},
            ))
        return findings
