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


def template_refs(template: dict[str, Any]) -> dict[str, list[str]]:
    """ConfigMaps and Secrets a pod template references by name (env, envFrom, volumes)."""
    spec = template.get("spec") or {}
    configmaps: set[str] = set()
    secrets: set[str] = set()
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        for source in container.get("envFrom") or []:
            if ref := (source.get("configMapRef") or {}).get("name"):
                configmaps.add(ref)
            if ref := (source.get("secretRef") or {}).get("name"):
                secrets.add(ref)
        for env in container.get("env") or []:
            value_from = env.get("valueFrom") or {}
            if ref := (value_from.get("configMapKeyRef") or {}).get("name"):
                configmaps.add(ref)
            if ref := (value_from.get("secretKeyRef") or {}).get("name"):
                secrets.add(ref)
    for volume in spec.get("volumes") or []:
        if ref := (volume.get("configMap") or {}).get("name"):
            configmaps.add(ref)
        if ref := (volume.get("secret") or {}).get("secretName"):
            secrets.add(ref)
        for source in (volume.get("projected") or {}).get("sources") or []:
            if ref := (source.get("configMap") or {}).get("name"):
                configmaps.add(ref)
            if ref := (source.get("secret") or {}).get("name"):
                secrets.add(ref)
    return {"configmaps": sorted(configmaps), "secrets": sorted(secrets)}


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
