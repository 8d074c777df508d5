"""The configuration a workload carries: env values, args and the ConfigMaps its pod template uses, each with
where it was found (the evidence of a dependency edge)."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import name_of, namespace_of
from functions._platform.domains.kubernetes.source.rollout import template_refs

MAX_VALUE_CHARS = 10_000
_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")


def base64_text(value: str) -> str | None:
    """What a base64 value encodes, when that is text: injectors pass a whole configuration so (Vault's agent gets
    `VAULT_CONFIG`, the server's address inside)."""
    if not _BASE64.fullmatch(value):
        return None
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded if decoded.isprintable() else None


def config_values(state: ClusterState, namespace: str, template: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, value) pairs, e.g. ("env checkout/PAYMENTS_URL", "http://payments:8080")."""
    values: list[tuple[str, str]] = []
    spec = template.get("spec") or {}
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        name = container.get("name", "")
        for env in container.get("env") or []:
            if env.get("value"):
                values.append((f"env {name}/{env.get('name', '')}", str(env["value"])))
                if decoded := base64_text(str(env["value"])):
                    values.append((f"env {name}/{env.get('name', '')} (base64)", decoded[:MAX_VALUE_CHARS]))
        words = [str(word) for word in (container.get("command") or []) + (container.get("args") or [])]
        values += [(f"args {name}", word) for word in words if word.strip()]
    wanted = set(template_refs(template)["configmaps"])
    for configmap in state.configmaps:
        if namespace_of(configmap) == namespace and name_of(configmap) in wanted:
            for key, value in sorted((configmap.get("data") or {}).items()):
                values.append((f"configmap {name_of(configmap)}/{key}", str(value)[:MAX_VALUE_CHARS]))
    return values


def config_text(state: ClusterState, namespace: str, template: dict[str, Any]) -> str:
    """Every config value of the template, one per line: the text a workload could name a host or a secret in."""
    return "\n".join(value for _, value in config_values(state, namespace, template))
