"""Sloth's Kubernetes `PrometheusServiceLevel` (sloth.slok.dev/v1, camelCase keys); output is a PrometheusRule."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..model import SLOGroup, SourceInfo
from . import prometheus_v1
from .common import LoadOptions, string_map

API_VERSION = "sloth.slok.dev/v1"
KIND = "PrometheusServiceLevel"
_FREE_FORM_KEYS = {"labels", "annotations", "options", "config"}
_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")


class ObjectMeta(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1)
    namespace: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)


def _to_snake(value: Any) -> Any:
    """camelCase structural keys to the prometheus/v1 names. Keys that are not camelCase are not part of
    the Kubernetes API and are dropped, as the API server would; free-form maps are kept untouched."""
    if isinstance(value, list):
        return [_to_snake(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if "_" in str(key):
            continue
        snake = _CAMEL_BOUNDARY.sub("_", str(key)).lower()
        out[snake] = item if key in _FREE_FORM_KEYS else _to_snake(item)
    return out


def load(doc: dict[str, Any], options: LoadOptions) -> SLOGroup:
    metadata = ObjectMeta.model_validate({**(doc.get("metadata") or {}),
                                          "labels": string_map((doc.get("metadata") or {}).get("labels"))})
    spec = _to_snake(doc.get("spec") or {})
    group = prometheus_v1.load({"version": prometheus_v1.VERSION, **spec}, options)
    return SLOGroup(
        slos=group.slos,
        source=SourceInfo(spec=API_VERSION, mode="cli-gen-k8s"),
        kubernetes_metadata=metadata.model_dump(exclude_none=True),
    )


def matches(doc: dict[str, Any]) -> bool:
    return doc.get("apiVersion") == API_VERSION and doc.get("kind") == KIND
