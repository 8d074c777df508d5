"""Who owns what: pods -> their workload (ReplicaSet -> Deployment), an HPA -> the workload it scales, objects -> the
subject responders know."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.placement import parse_time

GROUP_SEPARATOR = re.compile(r"[-_.:]")
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


def by_key(data: ClusterState, plural: str) -> dict[tuple[str, str], dict[str, Any]]:
    key = f"by_key/{plural}"
    if key not in data.cache:
        data.cache[key] = {(namespace_of(obj), name_of(obj)): obj for obj in getattr(data, plural)}
    return data.cache[key]


def replicasets_of(data: ClusterState, namespace: str, deployment: str) -> list[dict[str, Any]]:
    if "replicasets_by_owner" not in data.cache:
        index: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for replicaset in data.replicasets:
            owner = _owner(replicaset)
            if owner and owner.get("kind") == "Deployment":
                index.setdefault((namespace_of(replicaset), owner.get("name", "")), []).append(replicaset)
        data.cache["replicasets_by_owner"] = index
    return data.cache["replicasets_by_owner"].get((namespace, deployment), [])


def pods_labelled(data: ClusterState, namespace: str, selector: dict[str, str]) -> list[dict[str, Any]]:
    """Pods in `namespace` carrying every label of an equality selector (a Service's)."""
    if "pods_by_label" not in data.cache:
        index: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for pod in data.pods:
            for label, value in (meta(pod).get("labels") or {}).items():
                index.setdefault((namespace_of(pod), label, value), []).append(pod)
        data.cache["pods_by_label"] = index
    index = data.cache["pods_by_label"]
    candidates = [index.get((namespace, label, value), []) for label, value in selector.items()]
    if not candidates:
        return []
    smallest = min(candidates, key=len)
    return [pod for pod in smallest
            if all((meta(pod).get("labels") or {}).get(label) == value for label, value in selector.items())]


def replicaset_owner(data: ClusterState, namespace: str, replicaset: str, template_hash: str | None) -> str:
    candidate = by_key(data, "replicasets").get((namespace, replicaset))
    if candidate is not None:
        owner = _owner(candidate)
        return owner["name"] if owner else replicaset
    if template_hash and replicaset.endswith("-" + template_hash):
        return replicaset[: -len(template_hash) - 1]
    return replicaset.rsplit("-", 1)[0] if "-" in replicaset else replicaset


def workload_of(data: ClusterState, pod: dict[str, Any]) -> str:
    """The Deployment/StatefulSet/DaemonSet/Job name behind a pod, else its app label, else the pod name."""
    memo = data.cache.setdefault("workload_of", {})
    key = (namespace_of(pod), name_of(pod))
    if key not in memo:
        memo[key] = _workload_of(data, pod)
    return memo[key]


def daemonset_of(pod: dict[str, Any]) -> str | None:
    """The DaemonSet that owns the pod, None when another controller (or none) does."""
    return next((o.get("name") for o in meta(pod).get("ownerReferences") or [] if o.get("kind") == "DaemonSet"), None)


def pods_of(data: ClusterState, workload: str, namespace: str | None = None) -> list[dict[str, Any]]:
    """The pods behind a workload (in `namespace`; any when None), in listing order."""
    index = data.cache.get("pods_of")
    if index is None:
        index = data.cache["pods_of"] = {}
        for pod in data.pods:
            index.setdefault(workload_of(data, pod), []).append(pod)
    return [pod for pod in index.get(workload, []) if namespace in (None, namespace_of(pod))]


def _workload_of(data: ClusterState, pod: dict[str, Any]) -> str:
    owner = _owner(pod)
    labels = meta(pod).get("labels") or {}
    if owner and owner.get("kind") == "ReplicaSet":
        return replicaset_owner(data, namespace_of(pod), owner.get("name", ""), labels.get("pod-template-hash"))
    if owner and owner.get("kind") == "Job":
        job = by_key(data, "jobs").get((namespace_of(pod), owner.get("name", "")))
        return job_workload(data, job) if job is not None else owner.get("name", "")
    if owner and owner.get("kind") in ("StatefulSet", "DaemonSet", "Deployment", "CronJob"):
        return owner.get("name", "")
    for label in NAME_LABELS:
        if labels.get(label):
            return labels[label]
    return name_of(pod)


def job_workload(data: ClusterState, job: dict[str, Any]) -> str:
    """A Job's CronJob when it has one (Pod -> Job -> CronJob), else the Job itself."""
    owner = _owner(job)
    return owner["name"] if owner and owner.get("kind") == "CronJob" and owner.get("name") else name_of(job)


def scaled_workload(data: ClusterState, hpa: dict[str, Any]) -> str:
    """The workload an HPA scales (`spec.scaleTargetRef`; a ReplicaSet's Deployment), else the HPA's own name."""
    ref = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
    name = str(ref.get("name") or "")
    if ref.get("kind") == "ReplicaSet" and name:
        return replicaset_owner(data, namespace_of(hpa), name, None)
    return name or name_of(hpa)


def autoscaler_target(data: ClusterState, namespace: str, hpa_name: str) -> str | None:
    """The workload the HPA named `hpa_name` in `namespace` scales, None when no such HPA is known."""
    hpa = by_key(data, "horizontalpodautoscalers").get((namespace, hpa_name))
    return scaled_workload(data, hpa) if hpa is not None else None


def autoscalers_by_workload(data: ClusterState) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(namespace, workload) -> the HPAs scaling it."""
    if "autoscalers_by_workload" not in data.cache:
        index: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for hpa in data.horizontalpodautoscalers:
            index.setdefault((namespace_of(hpa), scaled_workload(data, hpa)), []).append(hpa)
        data.cache["autoscalers_by_workload"] = index
    return data.cache["autoscalers_by_workload"]


def pvc_consumers(data: ClusterState, namespace: str, claim: str) -> list[str]:
    """Workloads whose pods mount the claim (a StatefulSet's volumeClaimTemplates count too)."""
    found = {workload_of(data, pod) for pod in data.pods if namespace_of(pod) == namespace
             and any((v.get("persistentVolumeClaim") or {}).get("claimName") == claim
                     for v in (pod.get("spec") or {}).get("volumes") or [])}
    for sts in data.statefulsets:
        if namespace_of(sts) != namespace:
            continue
        for template in (sts.get("spec") or {}).get("volumeClaimTemplates") or []:
            prefix = f"{name_of(template)}-{name_of(sts)}-"
            if claim.startswith(prefix) and claim[len(prefix):].isdigit():
                found.add(name_of(sts))
    return sorted(found)


def group_consumers(data: ClusterState, group: str) -> list[str]:
    """Workloads that consume as a queue's consumer group: those whose containers are given the group's name in
    their environment (`KAFKA_GROUP_ID=...`), else the workload the name is built from (`checkout-consumer`,
    `cg.payments` -> the longest workload name that is a whole part of it)."""
    configured = {workload_of(data, pod) for pod in data.pods
                  for container in (pod.get("spec") or {}).get("containers") or []
                  if any(str(env.get("value") or "") == group for env in container.get("env") or [])}
    if configured:
        return sorted(configured)
    parts = GROUP_SEPARATOR.split(group)
    named = {name for name in {workload_of(data, pod) for pod in data.pods}
             if _is_run_of(GROUP_SEPARATOR.split(name), parts)}
    return sorted(named, key=lambda name: (-len(name), name))[:1]


def queue_consumers(data: ClusterState, queue: str) -> list[str]:
    """Workloads an HPA scales on an external metric named after the queue (KEDA's `s0-aws-sqs-<queue>`,
    `s0-rabbitmq-<queue>`): the queue's consumers."""
    parts = GROUP_SEPARATOR.split(queue)
    found = set()
    for hpa in data.horizontalpodautoscalers:
        for metric in (hpa.get("spec") or {}).get("metrics") or []:
            name = str((((metric.get("external") or {}).get("metric")) or {}).get("name") or "")
            if name and _is_run_of(parts, GROUP_SEPARATOR.split(name)):
                found.add(scaled_workload(data, hpa))
    return sorted(found)


def _is_run_of(run: list[str], parts: list[str]) -> bool:
    return any(parts[start:start + len(run)] == run for start in range(len(parts) - len(run) + 1))


def pod_by_name(data: ClusterState, namespace: str, name: str) -> dict[str, Any] | None:
    return by_key(data, "pods").get((namespace, name))


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
    if kind == "HorizontalPodAutoscaler":
        return autoscaler_target(data, namespace, name) or name
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


def troubled(pod: dict[str, Any]) -> bool:
    """A pod with a container that restarted or is not ready (the containers' own readiness: a Completed job pod's
    Ready condition is False, and it is not troubled)."""
    return any(status.get("restartCount", 0) > 0 or not status.get("ready", True)
               for status in container_statuses(pod))


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
    if "events_by_object" not in data.cache:
        index: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for event in data.events:
            involved = event.get("involvedObject") or event.get("regarding") or {}
            index.setdefault((namespace_of(event), involved.get("kind", ""), involved.get("name", "")), []).append(event)
        data.cache["events_by_object"] = index
    return data.cache["events_by_object"].get((namespace, kind, name), [])


def earliest(moments: list[datetime | None]) -> datetime | None:
    known = [m for m in moments if m is not None]
    return min(known) if known else None
