"""PersistentVolumeClaims stuck Pending or Lost, read with their StorageClass: pvc_pending."""

from __future__ import annotations

from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action_per
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    events_for,
    meta,
    name_of,
    namespace_of,
    pvc_consumers,
)
from functions._platform.domains.kubernetes.analyzers.placement import clip, parse_time, placed_finding
from sreo_events.models import Finding

DEFAULT_CLASS = ("storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class")


def storage_class_of(data: ClusterState, claim: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
    """The class a claim asks for (or the cluster default when it names none) and that class, if it exists."""
    wanted = (claim.get("spec") or {}).get("storageClassName")
    classes = {name_of(sc): sc for sc in data.storageclasses}
    if wanted is None:
        default = next((sc for sc in data.storageclasses
                        if any((meta(sc).get("annotations") or {}).get(key) == "true" for key in DEFAULT_CLASS)), None)
        return (name_of(default), default) if default else (None, None)
    return wanted, classes.get(wanted)


PVC_PENDING = FindingKind(
    name="pvc_pending", domain="kubernetes",
    actions=(
        action_per("pvc", "check-claim", "Read why claim {pvc} is unbound ({pvc_reason})",
                   "kubectl get pvc {pvc} -n {namespace} -o wide && kubectl describe pvc {pvc} -n {namespace}", "low"),
        action_per("storage_class", "check-storage", "Check storage class {storage_class} and its provisioner; the claim "
                   "binds once it exists", "kubectl get storageclass {storage_class} -o yaml", "low"),
    ),
    runbook_alerts=("KubePersistentVolumeClaimPending",),
)


def _pending_reason(data: ClusterState, phase: str, warnings: list[dict], class_name: str | None,
                    class_known: bool) -> str:
    if warnings:
        return clip(warnings[-1].get("message"))
    if data.storageclasses and class_name and not class_known:
        return f'storageclass "{class_name}" not found'
    if data.storageclasses and class_name is None:
        return "no storage class is set and the cluster has no default class"
    return f"claim is {phase}"


def _severity(benign: bool, phase: str, consumers: list[str]) -> str:
    if benign:
        return "info"
    return "critical" if phase == "Lost" or consumers else "warning"


def _class_fields(data: ClusterState, storage_class: dict[str, Any] | None) -> dict[str, Any]:
    class_known = storage_class is not None
    return {"storage_class_exists": class_known if data.storageclasses else None,
            "provisioner": storage_class.get("provisioner") if storage_class is not None else None,
            "volume_binding_mode": storage_class.get("volumeBindingMode") if storage_class is not None else None}


def _claim_finding(data: ClusterState, context: AnalysisContext, claim: dict[str, Any], phase: str) -> Finding:
    name, namespace = name_of(claim), namespace_of(claim)
    consumers = pvc_consumers(data, namespace, name)
    warnings = [e for e in events_for(data, namespace, "PersistentVolumeClaim", name)
                if e.get("type") == "Warning"]
    class_name, storage_class = storage_class_of(data, claim)
    class_known = storage_class is not None
    waits_for_consumer = class_known and storage_class.get("volumeBindingMode") == "WaitForFirstConsumer"
    reason = _pending_reason(data, phase, warnings, class_name, class_known)
    benign = waits_for_consumer and not consumers and not warnings
    spec = claim.get("spec") or {}
    return placed_finding(context,
        kind="pvc_pending", subject=consumers[0] if consumers else f"pvc/{name}",
        severity=_severity(benign, phase, consumers),
        score=0.3 if benign else 0.8, summary=f"pvc/{name} is {phase} (storage class {class_name or 'none'}): "
                                              f"{reason}",
        onset=parse_time(meta(claim).get("creationTimestamp")),
        query=data.query("persistentvolumeclaims", "storageclasses", "events"), persists=True,
        evidence={"namespace": namespace, "pvc": name, "phase": phase, "storage_class": class_name,
                  **_class_fields(data, storage_class),
                  "requested": ((spec.get("resources") or {}).get("requests") or {}).get("storage"),
                  "access_modes": spec.get("accessModes"), "consumers": consumers, "reason": reason,
                  "events": [clip(e.get("message"), 200) for e in warnings[-5:]]},
    )


class PvcHealthAnalyzer:
    kind = "pvc_pending"
    kinds = (PVC_PENDING,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for claim in data.persistentvolumeclaims:
            phase = (claim.get("status") or {}).get("phase")
            if phase not in ("Pending", "Lost"):
                continue
            findings.append(_claim_finding(data, context, claim, phase))
        return findings
