"""The resource kinds the Kubernetes source serves, and how a caller may name them. Secrets are never served."""

from __future__ import annotations

from dataclasses import dataclass


class SecretsRefused(ValueError):
    """Secrets are never read by this source, whatever the provider."""


class UnknownKind(ValueError):
    """A kind this source does not serve."""


@dataclass(frozen=True)
class KindSpec:
    plural: str  # canonical name used everywhere in this package, e.g. "pods"
    kind: str  # the object's `kind`, e.g. "Pod"
    api_version: str
    namespaced: bool
    aliases: tuple[str, ...] = ()


KINDS: dict[str, KindSpec] = {
    spec.plural: spec
    for spec in (
        KindSpec("pods", "Pod", "v1", True, ("pod", "po")),
        KindSpec("events", "Event", "v1", True, ("event", "ev")),
        KindSpec("deployments", "Deployment", "apps/v1", True, ("deployment", "deploy")),
        KindSpec("replicasets", "ReplicaSet", "apps/v1", True, ("replicaset", "rs")),
        KindSpec("statefulsets", "StatefulSet", "apps/v1", True, ("statefulset", "sts")),
        KindSpec("daemonsets", "DaemonSet", "apps/v1", True, ("daemonset", "ds")),
        KindSpec("services", "Service", "v1", True, ("service", "svc")),
        KindSpec("endpoints", "Endpoints", "v1", True, ("ep",)),
        KindSpec("ingresses", "Ingress", "networking.k8s.io/v1", True, ("ingress", "ing")),
        KindSpec("networkpolicies", "NetworkPolicy", "networking.k8s.io/v1", True, ("networkpolicy", "netpol")),
        KindSpec("persistentvolumeclaims", "PersistentVolumeClaim", "v1", True, ("persistentvolumeclaim", "pvc", "pvcs")),
        KindSpec("persistentvolumes", "PersistentVolume", "v1", False, ("persistentvolume", "pv", "pvs")),
        KindSpec("nodes", "Node", "v1", False, ("node", "no")),
        KindSpec("configmaps", "ConfigMap", "v1", True, ("configmap", "cm")),
        KindSpec("namespaces", "Namespace", "v1", False, ("namespace", "ns")),
        KindSpec("jobs", "Job", "batch/v1", True, ("job",)),
        KindSpec("cronjobs", "CronJob", "batch/v1", True, ("cronjob", "cj")),
        KindSpec("serviceaccounts", "ServiceAccount", "v1", True, ("serviceaccount", "sa")),
        KindSpec("storageclasses", "StorageClass", "storage.k8s.io/v1", False, ("storageclass", "sc")),
        KindSpec("apiservices", "APIService", "apiregistration.k8s.io/v1", False, ("apiservice",)),
        KindSpec("horizontalpodautoscalers", "HorizontalPodAutoscaler", "autoscaling/v2", True,
                 ("horizontalpodautoscaler", "hpa", "hpas")),
        KindSpec("poddisruptionbudgets", "PodDisruptionBudget", "policy/v1", True,
                 ("poddisruptionbudget", "pdb", "pdbs")),
    )
}

_BY_NAME: dict[str, str] = {}
for _spec in KINDS.values():
    for _name in (_spec.plural, _spec.kind.lower(), *_spec.aliases):
        _BY_NAME[_name] = _spec.plural

_SECRET_NAMES = {"secret", "secrets", "v1/secret", "v1/secrets"}


def normalize_kind(name: str) -> str:
    """`"Pod"`, `"po"` or `"pods"` -> `"pods"`; refuses secrets; raises UnknownKind for the rest."""
    key = name.strip().lower()
    if key in _SECRET_NAMES or key.split(".", 1)[0] in _SECRET_NAMES:
        raise SecretsRefused("secrets are never read by the kubernetes source")
    if key not in _BY_NAME:
        raise UnknownKind(f"unknown kind {name!r}; known: {', '.join(sorted(KINDS))}")
    return _BY_NAME[key]


def plural_of_object_kind(kind: str) -> str | None:
    """Object `kind` (e.g. "Pod") -> canonical plural, None for kinds not served (Secret included)."""
    key = kind.lower()
    return None if key == "secret" else _BY_NAME.get(key)
