"""scaler_controller_down: KEDA's operator crash-loops, so the HPA it manages for invoice-worker cannot take the
workload up from zero; the finding is on the operator, with invoice-worker as its blocked caller."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kube_snapshots import found
from support.kube_cluster import deployment, healthy_cluster, hpa, pod

from functions._platform.domains.kubernetes.analyzers.scaler_controller import ScalerControllerAnalyzer

CRASHED = {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"}


def _cluster(operator_crashes: bool = True, managed_by: str = "keda-operator") -> dict[str, Any]:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    objects["deployments"].append(deployment("invoice-worker", "registry.local/invoice-worker:2.0", replicas=0))
    scaler = hpa("keda-hpa-invoice-worker", "invoice-worker", current=0, maximum=40, minimum=1)
    scaler["metadata"]["labels"] = {"app.kubernetes.io/managed-by": managed_by}
    scaler["status"]["conditions"] = [{"type": "ScalingActive", "status": "False", "reason": "ScalingDisabled",
                                       "message": "scaling is disabled since the replica count of the target is zero"}]
    objects.setdefault("horizontalpodautoscalers", []).append(scaler)
    objects["pods"].append(pod("keda-operator", "mvkkf4", "qpj9w", "ghcr.io/kedacore/keda:2.16.1",
                               waiting=CRASHED if operator_crashes else None, restarts=7 if operator_crashes else 0))
    return cluster


def test_a_crashing_controller_of_an_autoscaler_at_zero_is_blamed(tmp_path: Path) -> None:
    (finding,) = found(ScalerControllerAnalyzer(), _cluster(), tmp_path)
    assert (finding.subject, finding.severity) == ("keda-operator", "critical")
    assert finding.evidence["blocked_callers"] == ["invoice-worker"] and finding.evidence["at_zero"] == ["invoice-worker"]


def test_a_healthy_controller_or_helm_is_not(tmp_path: Path) -> None:
    assert found(ScalerControllerAnalyzer(), _cluster(operator_crashes=False), tmp_path / "ok") == []
    assert found(ScalerControllerAnalyzer(), _cluster(managed_by="Helm"), tmp_path / "helm") == []
