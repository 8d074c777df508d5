"""The workloads a service depends on, read from its pod template and the ConfigMaps it uses."""

from __future__ import annotations

import re
from typing import Any

from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    name_of,
    namespace_of,
    pods_of,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.service_endpoints import selected_pods
from functions._platform.topology.builders.config_values import config_text


def cluster_ips(service: dict[str, Any]) -> list[str]:
    """The addresses a Service answers on inside the cluster (`spec.clusterIP(s)`; none for a headless one)."""
    spec = service.get("spec") or {}
    found = [str(ip) for ip in [spec.get("clusterIP"), *(spec.get("clusterIPs") or [])] if ip and ip != "None"]
    return list(dict.fromkeys(found))


def _address(host: str) -> str:
    """`10.96.0.10:53` -> `10.96.0.10`; `[fd00::a]:53` -> `fd00::a`; a bare address as it is."""
    host = host.strip()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def services_at(data: ClusterState, host: str) -> list[dict[str, Any]]:
    """The Services answering on a cluster IP (`10.96.0.10` or `10.96.0.10:53`, as a client's log names it)."""
    address = _address(host)
    return [service for service in data.services if address in cluster_ips(service)]


def workloads_behind(data: ClusterState, name: str, namespace: str | None = None) -> set[str]:
    """A Service or workload name, or a Service's cluster IP (in `namespace`, any when None) -> the workload
    names it stands for."""
    services = [service for service in data.services if name_of(service) == name] or services_at(data, name)
    found = {workload_of(data, pod) for service in services
             if namespace in (None, namespace_of(service)) for pod in selected_pods(data, service)}
    return found or {name}


def _headless(service: dict[str, Any]) -> bool:
    return (service.get("spec") or {}).get("clusterIP") == "None"


def _names_service(text: str, service: dict[str, Any], namespace: str) -> bool:
    """The text names the Service as a host: by its bare name in its own namespace, from anywhere as
    `<name>.<namespace>` (what `.svc`, `.svc.cluster.local` extend), the way cluster DNS resolves it, or by its
    cluster IP."""
    name, own = name_of(service), namespace_of(service)
    pattern = re.escape(name) if own == namespace else rf"{re.escape(name)}\.{re.escape(own)}"
    # a headless Service also names each of its pods: `zookeeper-0.zookeeper-headless.kafka.svc`
    pod = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\." if _headless(service) else ""
    if re.search(rf"(?<![\w.-])(?:{pod})?{pattern}(?![\w-])", text):
        return True
    return any(re.search(rf"(?<![\w.:]){re.escape(ip)}(?![\w.]|:[0-9a-f]*:)", text) for ip in cluster_ips(service))


def _templates(data: ClusterState, workload: str) -> list[tuple[str, dict[str, Any]]]:
    templates = [(namespace_of(obj), (obj.get("spec") or {}).get("template") or {})
                 for plural in ("deployments", "statefulsets", "daemonsets") for obj in getattr(data, plural)
                 if name_of(obj) == workload]
    # and a pod's own spec: what admission webhooks inject at creation (a Vault agent, a mesh proxy) is only there
    templates += [(namespace_of(pod), {"spec": pod.get("spec") or {}}) for pod in pods_of(data, workload)[-1:]]
    return templates


def dependencies_of(data: ClusterState, workload: str) -> set[str]:
    """Workloads whose Service names appear as hosts in the workload's env, args or ConfigMaps (a Service of
    another namespace when named with its namespace, `rabbitmq.messaging.svc.cluster.local`)."""
    found: set[str] = set()
    for namespace, template in _templates(data, workload):
        text = config_text(data, namespace, template)
        for service in data.services:
            name = name_of(service)
            if (name == workload and namespace_of(service) == namespace) or not _names_service(text, service, namespace):
                continue
            found |= workloads_behind(data, name, namespace_of(service)) | {name}
    return found - {workload}


def callers_naming(data: ClusterState, workloads: list[dict[str, Any]], services: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(namespace, name) of the workload objects (Deployments, StatefulSets of namespaces not listed) whose pod
    template names one of `services` as a host; the ConfigMaps they mount are not read, as they are not listed."""
    found = set()
    for obj in workloads:
        namespace = namespace_of(obj)
        text = config_text(data, namespace, (obj.get("spec") or {}).get("template") or {})
        if any(_names_service(text, service, namespace) for service in services):
            found.add((namespace, name_of(obj)))
    return found


def called_services(data: ClusterState, workload: str, namespace: str | None = None) -> list[tuple[dict[str, Any], str]]:
    """The Services the workload (in `namespace`, any when None) names as hosts in its env, args or ConfigMaps, as
    `dependencies_of` reads them, each with the text that names it."""
    found: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for own, template in _templates(data, workload):
        text = config_text(data, own, template) if namespace in (None, own) else ""
        for service in data.services:
            key = (namespace_of(service), name_of(service))
            if text and key not in found and key != (own, workload) and _names_service(text, service, own):
                found[key] = (service, text)
    return list(found.values())


SVC_HOST = re.compile(r"(?<![\w.-])[a-z0-9]([a-z0-9-]*[a-z0-9])?\.(?P<namespace>[a-z0-9]([a-z0-9-]*[a-z0-9])?)\.svc(?![\w-])")


def referenced_namespaces(data: ClusterState, subjects: frozenset[str]) -> set[str]:
    """Namespaces the subjects' env, args and ConfigMaps name in cluster DNS names (`<service>.<namespace>.svc`):
    where the Services they call from another namespace live."""
    found: set[str] = set()
    for workload in subjects:
        for namespace, template in _templates(data, workload):
            found |= {match["namespace"] for match in SVC_HOST.finditer(config_text(data, namespace, template))}
    return found


def focus_subjects(data: ClusterState, service: str | None) -> frozenset[str]:
    """The service asked about, the workloads behind it, and what they depend on."""
    if not service:
        return frozenset()
    subjects = {service} | workloads_behind(data, service)
    for workload in list(subjects):
        subjects |= dependencies_of(data, workload)
    return frozenset(subjects)


def namespaces_of(data: ClusterState, subjects: frozenset[str]) -> list[str]:
    """The namespaces of the services and workloads named in `subjects`."""
    found = {namespace_of(obj) for plural in ("services", "deployments", "statefulsets", "daemonsets", "cronjobs")
             for obj in getattr(data, plural) if name_of(obj) in subjects}
    found |= {namespace_of(pod) for pod in data.pods if workload_of(data, pod) in subjects}
    return sorted(found - {""})
