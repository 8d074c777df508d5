"""Ingresses routing to a Service that does not exist (or lacks the port): ingress_backend_missing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import meta, name_of, namespace_of
from functions._platform.domains.kubernetes.analyzers.placement import parse_time, placed_finding
from sreo_events.models import Finding


def routes(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(host or "*", path, backend) of an Ingress: its default backend first, then each rule's paths."""
    found = [("*", "/", spec.get("defaultBackend") or spec.get("backend") or {})]
    found += [(rule.get("host") or "*", path.get("path") or "/", path.get("backend") or {})
              for rule in spec.get("rules") or [] for path in (rule.get("http") or {}).get("paths") or []]
    return found


def backends(ingress: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(host or "*", backend.service) for the default backend and every rule path."""
    for host, _, backend in routes(ingress.get("spec") or {}):
        if service := backend.get("service"):
            yield host, service


def port_known(service: dict[str, Any], port: dict[str, Any]) -> bool:
    ports = (service.get("spec") or {}).get("ports") or []
    if "number" in port:
        return any(p.get("port") == port["number"] for p in ports)
    if "name" in port:
        return any(p.get("name") == port["name"] for p in ports)
    return True


INGRESS_BACKEND_MISSING = FindingKind(
    name="ingress_backend_missing", domain="kubernetes",
    actions=(
        action("fix-ingress-backend", "Point {subject} at an existing Service and port",
               "kubectl describe ingress {ingress} -n {namespace}", "low"),
    ),
)


class IngressBackendAnalyzer:
    kind = "ingress_backend_missing"
    kinds = (INGRESS_BACKEND_MISSING,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for ingress in data.ingresses:
            namespace = namespace_of(ingress)
            services = {name_of(s): s for s in data.services if namespace_of(s) == namespace}
            broken = []
            for host, backend in backends(ingress):
                target = services.get(backend.get("name", ""))
                port = backend.get("port") or {}
                if target is None:
                    broken.append({"host": host, "service": backend.get("name"), "problem": "service not found"})
                elif not port_known(target, port):
                    broken.append({"host": host, "service": backend.get("name"),
                                   "problem": f"service has no port {port.get('number') or port.get('name')}"})
            if not broken:
                continue
            name = name_of(ingress)
            findings.append(placed_finding(context, 
                kind="ingress_backend_missing", subject=f"ingress/{name}", severity="critical", score=0.8,
                summary=f"ingress/{name} routes {broken[0]['host']} to service {broken[0]['service']}: "
                        f"{broken[0]['problem']}",
                onset=parse_time(meta(ingress).get("creationTimestamp")), query=data.query("ingresses", "services"),
                evidence={"namespace": namespace, "ingress": name, "broken_backends": broken},
            ))
        return findings
