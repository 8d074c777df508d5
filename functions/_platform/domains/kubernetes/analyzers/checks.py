"""What was checked and found healthy, for the evidence's `checked` list."""

from __future__ import annotations

from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.node_health import PRESSURES
from functions._platform.domains.kubernetes.analyzers.ownership import is_ready, name_of
from functions._platform.domains.kubernetes.analyzers.service_endpoints import ready_addresses, selected_pods
from functions._platform.domains.kubernetes.analyzers.workload_health import replica_counts, stalled_condition

MAX_CHECKS = 100


def _workload_checks(data: ClusterState) -> list[str]:
    checks = []
    for kind, plural in (("Deployment", "deployments"), ("StatefulSet", "statefulsets"),
                         ("DaemonSet", "daemonsets")):
        for obj in getattr(data, plural):
            desired, available = replica_counts(kind, obj)
            if desired > 0 and available >= desired and stalled_condition(obj) is None:
                checks.append(f"{kind.lower()}/{name_of(obj)}: {available}/{desired} ready")
    return checks


def _service_checks(data: ClusterState) -> list[str]:
    checks = []
    for service in data.services:
        if not (service.get("spec") or {}).get("selector"):
            continue
        ready = ready_addresses(data, service)
        if ready is None:
            ready = sum(1 for pod in selected_pods(data, service) if is_ready(pod))
        if ready:
            checks.append(f"service/{name_of(service)}: {ready} ready endpoint(s)")
    return checks


def _node_checks(data: ClusterState) -> list[str]:
    checks = []
    for node in data.nodes:
        conditions = {c.get("type"): c.get("status") for c in (node.get("status") or {}).get("conditions") or []}
        if conditions.get("Ready") == "True" and not any(conditions.get(p) == "True" for p in PRESSURES):
            checks.append(f"node/{name_of(node)}: Ready, no pressure")
    return checks


def _claim_checks(data: ClusterState) -> list[str]:
    return [f"pvc/{name_of(claim)}: Bound" for claim in data.persistentvolumeclaims
            if (claim.get("status") or {}).get("phase") == "Bound"]


def healthy_checks(data: ClusterState) -> list[str]:
    checks = _workload_checks(data) + _service_checks(data) + _node_checks(data) + _claim_checks(data)
    return sorted(checks)[:MAX_CHECKS]
