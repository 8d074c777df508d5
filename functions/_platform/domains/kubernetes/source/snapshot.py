"""Offline provider: `kubectl get <kinds> -A -o json` output in a file or a directory of files.

Layout of a snapshot directory (all parts optional):

    <snapshot>/*.json                         each a `List` (or `*List`) with `items`, or a single object
    <snapshot>/logs/<namespace>/<pod>/<container>.log            current container log
    <snapshot>/logs/<namespace>/<pod>/<container>.previous.log   log of the previous (crashed) instance

Secrets found in a dump are dropped when it is loaded and are never served.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from functions._platform.domains.kubernetes.source.contract import LogsUnavailable, slim, tail
from functions._platform.domains.kubernetes.source.kinds import KINDS, normalize_kind, plural_of_object_kind
from functions._platform.domains.kubernetes.source.selectors import parse_selector

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$")


class SnapshotError(ValueError):
    """The snapshot path is missing or holds no parsable Kubernetes JSON."""


def _objects_in(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, list):
        return [item for entry in document for item in _objects_in(entry)]
    if not isinstance(document, dict):
        return []
    if "items" in document and str(document.get("kind", "List")).endswith("List"):
        return [item for item in document.get("items") or [] if isinstance(item, dict)]
    return [document] if document.get("kind") else []


class SnapshotProvider:
    name = "snapshot"

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if not self.path.exists():
            raise SnapshotError(f"kubernetes snapshot {self.path} does not exist")
        self.log_root = self.path / "logs" if self.path.is_dir() else self.path.parent / "logs"
        self._objects: dict[str, dict[tuple[str, str], dict[str, Any]]] = {plural: {} for plural in KINDS}
        for file in self._files():
            self._load(file)

    def _files(self) -> list[Path]:
        if self.path.is_file():
            return [self.path]
        return sorted(p for p in self.path.glob("*.json") if p.is_file())

    def _load(self, file: Path) -> None:
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SnapshotError(f"{file}: not kubectl JSON ({exc})") from exc
        for obj in _objects_in(document):
            plural = plural_of_object_kind(str(obj.get("kind", "")))
            if plural is None:
                continue
            spec = KINDS[plural]
            metadata = obj.get("metadata") or {}
            key = (metadata.get("namespace") or "", metadata.get("name") or metadata.get("uid") or "")
            self._objects[plural][key] = slim(obj, spec.kind, obj.get("apiVersion") or spec.api_version)

    def list(self, kind: str, namespace: str | None = None, label_selector: str | None = None) -> list[dict[str, Any]]:
        plural = normalize_kind(kind)
        matcher = parse_selector(label_selector)
        items = []
        for (object_namespace, _), obj in sorted(self._objects[plural].items()):
            if namespace and KINDS[plural].namespaced and object_namespace != namespace:
                continue
            if matcher((obj.get("metadata") or {}).get("labels") or {}):
                items.append(obj)
        return items

    def logs(self, namespace: str, pod: str, container: str | None = None, *, previous: bool = False,
             tail_lines: int | None = None, timestamps: bool = False) -> str:
        for part in (namespace, pod, container or "x"):
            if not _SAFE_NAME.match(part) or ".." in part:
                raise LogsUnavailable(f"invalid object name {part!r}")
        pod_dir = self.log_root / namespace / pod
        if container is None:
            pods = self._objects["pods"]
            containers = ((pods.get((namespace, pod)) or {}).get("spec") or {}).get("containers") or []
            candidates = sorted(p.name.split(".", 1)[0] for p in pod_dir.glob("*.log")) if pod_dir.is_dir() else []
            names = [c.get("name") for c in containers] or candidates
            if not names:
                raise LogsUnavailable(f"no containers known for pod {namespace}/{pod}")
            container = names[0]
        file = pod_dir / f"{container}{'.previous' if previous else ''}.log"
        if not file.is_file():
            which = "previous " if previous else ""
            raise LogsUnavailable(f"no {which}log recorded for {namespace}/{pod}/{container}")
        return tail(file.read_text(encoding="utf-8", errors="replace"), tail_lines)
