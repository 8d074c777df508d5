"""Combine generated SLO rule groups with hand-written ones into one prometheus-operator PrometheusRule."""

from __future__ import annotations

from typing import Any

import yaml

from .specs import SpecError


def groups_of(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [group for doc in documents for group in (doc.get("spec") or doc).get("groups", [])]


def load_rule_groups(text: str, source: str) -> list[dict[str, Any]]:
    """Groups from a Prometheus rule file or a PrometheusRule manifest."""
    try:
        docs = [d for d in yaml.safe_load_all(text) if d]
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}: not valid YAML: {exc}") from exc
    groups = groups_of(docs)
    if not groups:
        raise SpecError(f"{source}: no rule groups found")
    return groups


def prometheus_rule(name: str, groups: list[dict[str, Any]], labels: dict[str, str] | None = None,
                    namespace: str | None = None) -> dict[str, Any]:
    names = [group["name"] for group in groups]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SpecError(f"rule group names must be unique; repeated: {', '.join(repeated)}")
    metadata: dict[str, Any] = {"name": name, "labels": {"app.kubernetes.io/component": "SLO", **(labels or {})}}
    if namespace:
        metadata["namespace"] = namespace
    return {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule", "metadata": metadata,
            "spec": {"groups": groups}}
