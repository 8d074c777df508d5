"""Services whose selector finds no ready pod: service_no_endpoints."""

from __future__ import annotations

from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    by_key,
    earliest,
    is_ready,
    name_of,
    namespace_of,
    pods_labelled,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import parse_time, placed_finding
from sreo_events.models import Finding


def selected_pods(data: ClusterState, service: dict[str, Any]) -> list[dict[str, Any]]:
    selector = (service.get("spec") or {}).get("selector") or {}
    return [pod for pod in pods_labelled(data, namespace_of(service), selector)
            if (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]


def ready_addresses(data: ClusterState, service: dict[str, Any]) -> int | None:
    """Ready addresses in the Service's Endpoints object; None when that object was not collected."""
    endpoints = by_key(data, "endpoints").get((namespace_of(service), name_of(service)))
    if endpoints is None:
        return None
    return sum(len(subset.get("addresses") or []) for subset in endpoints.get("subsets") or [])


def not_ready_since(pods: list[dict[str, Any]]) -> Any:
    return earliest([parse_time(c.get("lastTransitionTime")) for pod in pods
                     for c in (pod.get("status") or {}).get("conditions") or [] if c.get("type") == "Ready"])


SERVICE_NO_ENDPOINTS = FindingKind(
    name="service_no_endpoints", domain="kubernetes",
    actions=(
        action("check-endpoints", "Check that {subject}'s selector matches ready pods",
               "kubectl get endpoints {service} -n {namespace} -o wide", "low"),
    ),
    runbook_alerts=("KubePodNotReady",),
)


class ServiceEndpointsAnalyzer:
    kind = "service_no_endpoints"
    kinds = (SERVICE_NO_ENDPOINTS,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for service in data.services:
            spec = service.get("spec") or {}
            if not spec.get("selector") or spec.get("type") == "ExternalName":
                continue
            pods = selected_pods(data, service)
            ready = ready_addresses(data, service)
            if ready is None:
                ready = sum(1 for pod in pods if is_ready(pod))
            if ready > 0:
                continue
            name = name_of(service)
            workloads = sorted({workload_of(data, pod) for pod in pods})
            subject = workloads[0] if len(workloads) == 1 else name
            cause = (f"{len(pods)} pod(s) match its selector but none is ready" if pods
                     else f"its selector {spec['selector']} matches no pod")
            findings.append(placed_finding(context, 
                kind="service_no_endpoints", subject=subject, severity="critical", score=0.85 if pods else 0.8,
                summary=f"service/{name} has no ready endpoints: {cause}",
                onset=not_ready_since(pods) if pods else None, query=data.query("services", "endpoints", "pods"),
                evidence={"namespace": namespace_of(service), "service": name, "selector": spec["selector"],
                          "matching_pods": [name_of(p) for p in pods], "workloads": workloads,
                          "ports": [p.get("port") for p in spec.get("ports") or []]},
            ))
        return findings
