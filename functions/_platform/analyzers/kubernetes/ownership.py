"""Who owns what: pods -> their workload (ReplicaSet -> Deployment), objects -> the subject responders know."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from functions._platform.analyzers.kubernetes.base import ClusterState, parse_time

NAME_LABELS = ("app.kubernetes.io/name", "app.kubernetes.io/instance", "app", "k8s-app", "name")


def meta(obj: dict[str, Any]) -> dict[str, Any]:
    return obj.get("metadata") or {}


def name_of(obj: dict[str, Any]) -> str:
    return meta(obj).get("name") or ""


def namespace_of(obj: dict[str, Any]) -> str:
    return meta(obj).get("namespace") or ""


def _owner(obj: dict[str, Any]) -> dict[str, Any] | None:
    refs = meta(obj).get("ownerReferences") or []
    controllers = [ref for ref in refs if ref.get("controller")] or refs
    return controllers[0] if controllers else None


def replicaset_owner(data: ClusterState, namespace: str, replicaset: str, template_hash: str | None) -> str:
    for candidate in data.replicasets:
        if name_of(candidate) == replicaset and namespace_of(candidate) == namespace:
            owner = _owner(candidate)
            return owner["name"] if owner else replicaset
    if template_hash and replicaset.endswith("-" + template_hash):
        return replicaset[: -len(template_hash) - 1]
    return replicaset.rsplit("-", 1)[0] if "-" in replicaset else replicaset


def workload_of(data: ClusterState, pod: dict[str, Any]) -> str:
    """The Deployment/StatefulSet/DaemonSet/Job name behind a pod, else its app label, else the pod name."""
    owner = _owner(pod)
    labels = meta(pod).get("labels") or {}
    if owner and owner.get("kind") == "ReplicaSet":
        return replicaset_owner(data, namespace_of(pod), owner.get("name", ""), labels.get("pod-template-hash"))
    if owner and owner.get("kind") in ("StatefulSet", "DaemonSet", "Job", "Deployment"):
        return owner.get("name", "")
    for label in NAME_LABELS:
        if labels.get(label):
            return labels[label]
    return name_of(pod)


def pod_by_name(data: ClusterState, namespace: str, name: str) -> dict[str, Any] | None:
    for pod in data.pods:
        if name_of(pod) == name and namespace_of(pod) == namespace:
            return pod
    return None


def subject_of(data: ClusterState, kind: str, name: str, namespace: str) -> str:
    """Subject for an event's involvedObject."""
    if kind == "Node":
        return f"node/{name}"
    if kind == "Pod":
        pod = pod_by_name(data, namespace, name)
        if pod is not None:
            return workload_of(data, pod)
        return replicaset_owner(data, namespace, name.rsplit("-", 1)[0], None) if name.count("-") >= 2 else name
    if kind == "ReplicaSet":
        return replicaset_owner(data, namespace, name, None)
    if kind == "PersistentVolumeClaim":
        return f"pvc/{name}"
    if kind in ("Ingress",):
        return f"ingress/{name}"
    return name


def is_ready(pod: dict[str, Any]) -> bool:
    conditions = (pod.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def container_statuses(pod: dict[str, Any]) -> Iterator[dict[str, Any]]:
    status = pod.get("status") or {}
    yield from status.get("initContainerStatuses") or []
    yield from status.get("containerStatuses") or []


def event_time(event: dict[str, Any]) -> datetime | None:
    """When an event was last seen (core/v1 or events.k8s.io shapes)."""
    series = event.get("series") or {}
    for key in ("lastTimestamp", "eventTime", "firstTimestamp"):
        value = series.get("lastObservedTime") if key == "eventTime" and series else event.get(key)
        if moment := parse_time(value):
            return moment
    return parse_time(meta(event).get("creationTimestamp"))


def event_first_time(event: dict[str, Any]) -> datetime | None:
    return parse_time(event.get("firstTimestamp")) or parse_time(event.get("eventTime")) or event_time(event)


def event_count(event: dict[str, Any]) -> int:
    return int(event.get("count") or (event.get("series") or {}).get("count") or 1)


def events_for(data: ClusterState, namespace: str, kind: str, name: str) -> list[dict[str, Any]]:
    return [e for e in data.events
            if (e.get("involvedObject") or e.get("regarding") or {}).get("kind") == kind
            and (e.get("involvedObject") or e.get("regarding") or {}).get("name") == name
            and namespace_of(e) == namespace]


def earliest(moments: list[datetime | None]) -> datetime | None:
    known = [m for m in moments if m is not None]
    return min(known) if known else None
