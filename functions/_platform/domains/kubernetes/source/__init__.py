"""Kubernetes evidence source: a live provider (the API) and an offline provider (a `kubectl get -o json` dump)."""

from __future__ import annotations

from functions._platform.config import Settings
from functions._platform.domains.kubernetes.source.contract import (
    ConfigMapsNotWatched,
    KubeProvider,
    LogsUnavailable,
)
from functions._platform.domains.kubernetes.source.kinds import (
    KINDS,
    SecretsRefused,
    UnknownKind,
    normalize_kind,
)


class KubernetesNotConfigured(RuntimeError):
    """Neither SREO_KUBE_LIVE nor SREO_KUBE_SNAPSHOT is set."""


def is_configured(settings: Settings) -> bool:
    return bool(settings.kube_live or settings.kube_snapshot)


def open_provider(settings: Settings) -> KubeProvider:
    """The live API when `kube_live` is set, else the snapshot at `kube_snapshot`."""
    if settings.kube_live:
        from functions._platform.domains.kubernetes.source.live import LiveProvider

        return LiveProvider(context=settings.kube_context, configmap_namespaces=settings.watched_configmap_namespaces)
    if settings.kube_snapshot:
        from functions._platform.domains.kubernetes.source.snapshot import SnapshotProvider

        return SnapshotProvider(settings.kube_snapshot)
    raise KubernetesNotConfigured("set SREO_KUBE_LIVE=true or SREO_KUBE_SNAPSHOT=<kubectl get -o json dump>")


__all__ = [
    "KINDS", "ConfigMapsNotWatched", "KubeProvider", "KubernetesNotConfigured", "LogsUnavailable", "SecretsRefused",
    "UnknownKind", "is_configured", "normalize_kind", "open_provider",
]
