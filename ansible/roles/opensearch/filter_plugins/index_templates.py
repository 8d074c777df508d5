"""Compare an index template as OpenSearch returns it with the body the role would PUT."""

from __future__ import annotations

from typing import Any


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, list):
        return {prefix: [_flatten(item) if isinstance(item, dict) else _scalar(item) for item in value]}
    return {prefix: _scalar(value)}


def _normalized(body: dict[str, Any]) -> dict[str, Any]:
    """Flatten to dotted keys with string scalars; settings always under `index.` as OpenSearch returns them."""
    template = body.get("template") or {}
    settings = _flatten(template.get("settings") or {})
    return {
        "index_patterns": sorted(_scalar(p) for p in body.get("index_patterns") or []),
        "priority": _scalar(body.get("priority", 0)),
        "settings": {(k if k.startswith("index.") else f"index.{k}"): v for k, v in settings.items()},
        "mappings": _flatten(template.get("mappings") or {}),
        "aliases": _flatten(template.get("aliases") or {}),
    }


def opensearch_template_differs(current: dict[str, Any], desired: dict[str, Any]) -> bool:
    """True when `current` lacks or contradicts anything `desired` sets (server-added defaults are ignored)."""
    have, want = _normalized(current), _normalized(desired)
    if have["index_patterns"] != want["index_patterns"]:
        return True
    if "priority" in desired and have["priority"] != want["priority"]:
        return True
    for section in ("settings", "mappings", "aliases"):
        if any(have[section].get(key) != value for key, value in want[section].items()):
            return True
    return False


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {"opensearch_template_differs": opensearch_template_differs}
