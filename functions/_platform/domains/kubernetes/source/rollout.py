"""Rollout history of a Deployment, rebuilt from its ReplicaSets (what `kubectl rollout history` reads)."""

from __future__ import annotations

from typing import Any

REVISION = "deployment.kubernetes.io/revision"
CHANGE_CAUSE = "kubernetes.io/change-cause"


def owned_by(obj: dict[str, Any], kind: str, name: str) -> bool:
    return any(ref.get("kind") == kind and ref.get("name") == name
               for ref in (obj.get("metadata") or {}).get("ownerReferences") or [])


def _revision(replicaset: dict[str, Any]) -> int:
    try:
        return int(((replicaset.get("metadata") or {}).get("annotations") or {}).get(REVISION, 0))
    except (TypeError, ValueError):
        return 0


# (field of the referencing object, name field inside it, which kind it names)
_ENV_FROM_REFS = (("configMapRef", "name", "configmaps"), ("secretRef", "name", "secrets"))
_ENV_VALUE_REFS = (("configMapKeyRef", "name", "configmaps"), ("secretKeyRef", "name", "secrets"))
_VOLUME_REFS = (("configMap", "name", "configmaps"), ("secret", "secretName", "secrets"))
_PROJECTED_REFS = (("configMap", "name", "configmaps"), ("secret", "name", "secrets"))


def _collect(source: dict[str, Any], refs: tuple[tuple[str, str, str], ...], found: dict[str, set[str]]) -> None:
    for field, name_field, kind in refs:
        if ref := (source.get(field) or {}).get(name_field):
            found[kind].add(ref)


def _container_refs(container: dict[str, Any], found: dict[str, set[str]]) -> None:
    for source in container.get("envFrom") or []:
        _collect(source, _ENV_FROM_REFS, found)
    for env in container.get("env") or []:
        _collect(env.get("valueFrom") or {}, _ENV_VALUE_REFS, found)


def _volume_refs(volume: dict[str, Any], found: dict[str, set[str]]) -> None:
    _collect(volume, _VOLUME_REFS, found)
    for source in (volume.get("projected") or {}).get("sources") or []:
        _collect(source, _PROJECTED_REFS, found)


def template_refs(template: dict[str, Any]) -> dict[str, list[str]]:
    """ConfigMaps and Secrets a pod template references by name (env, envFrom, volumes)."""
    spec = template.get("spec") or {}
    found: dict[str, set[str]] = {"configmaps": set(), "secrets": set()}
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        _container_refs(container, found)
    for volume in spec.get("volumes") or []:
        _volume_refs(volume, found)
    return {"configmaps": sorted(found["configmaps"]), "secrets": sorted(found["secrets"])}


def rollout_history(deployment: str, replicasets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per revision, oldest first: revision, replicaset, created, images, replicas, change cause."""
    history = []
    for replicaset in replicasets:
        if not owned_by(replicaset, "Deployment", deployment):
            continue
        metadata = replicaset.get("metadata") or {}
        template = (replicaset.get("spec") or {}).get("template") or {}
        containers = (template.get("spec") or {}).get("containers") or []
        status = replicaset.get("status") or {}
        history.append({
            "revision": _revision(replicaset),
            "replicaset": metadata.get("name"),
            "namespace": metadata.get("namespace"),
            "created": metadata.get("creationTimestamp"),
            "pod_template_hash": (metadata.get("labels") or {}).get("pod-template-hash"),
            "images": {c.get("name"): c.get("image") for c in containers},
            "config_refs": template_refs(template),
            "replicas": status.get("replicas", 0),
            "ready_replicas": status.get("readyReplicas", 0),
            "change_cause": (metadata.get("annotations") or {}).get(CHANGE_CAUSE),
        })
    return sorted(history, key=lambda entry: (entry["revision"], entry["created"] or ""))
