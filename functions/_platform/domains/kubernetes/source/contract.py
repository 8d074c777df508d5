"""The one small interface both Kubernetes providers (live API, offline snapshot) implement."""

from __future__ import annotations

from typing import Any, Protocol

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


class LogsUnavailable(LookupError):
    """No log for that container (not recorded in the snapshot, or the API has none)."""


class ConfigMapsNotWatched(PermissionError):
    """ConfigMaps asked for in a namespace outside SREO_KUBE_CONFIGMAP_NAMESPACES; the API is not called."""


class KubeProvider(Protocol):
    name: str  # "live" or "snapshot"

    def list(self, kind: str, namespace: str | None = None, label_selector: str | None = None) -> list[dict[str, Any]]:
        """Objects of `kind` (any spelling `normalize_kind` accepts), all namespaces when `namespace` is None.

        Each item carries `kind` and `apiVersion`, like `kubectl get -o json`. Secrets are refused. The live
        provider reads ConfigMaps only in the watched namespaces (`ConfigMapsNotWatched` elsewhere), and "all
        namespaces" means those.
        """

    def logs(self, namespace: str, pod: str, container: str | None = None, *, previous: bool = False,
             tail_lines: int | None = None, timestamps: bool = False) -> str:
        """Text of a container's log (the previous instance's with `previous`)."""


def slim(obj: dict[str, Any], kind: str, api_version: str) -> dict[str, Any]:
    """Bound an object for transport: keep managedFields' manager/time (update times) but drop their field sets,
    and drop the last-applied annotation (a full copy of the spec)."""
    obj = dict(obj)
    obj.setdefault("kind", kind)
    obj.setdefault("apiVersion", api_version)
    metadata = dict(obj.get("metadata") or {})
    if "managedFields" in metadata:
        metadata["managedFields"] = [
            {key: entry.get(key) for key in ("manager", "operation", "time") if entry.get(key) is not None}
            for entry in metadata.get("managedFields") or []
        ]
    annotations = metadata.get("annotations")
    if annotations and LAST_APPLIED in annotations:
        metadata["annotations"] = {key: value for key, value in annotations.items() if key != LAST_APPLIED}
    obj["metadata"] = metadata
    return obj


def tail(text: str, tail_lines: int | None) -> str:
    if not tail_lines or tail_lines <= 0:
        return text
    lines = text.splitlines()
    return "\n".join(lines[-tail_lines:]) + ("\n" if lines else "")
