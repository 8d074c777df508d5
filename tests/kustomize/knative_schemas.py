"""Validate Knative resources against the JSON Schemas in kustomize/schemas (kubernetes-validate has none for them)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from support.paths import REPO_ROOT

SCHEMAS_DIR = REPO_ROOT / "kustomize" / "schemas"
DEFINITIONS_FILE = "knative-definitions.json"
KNATIVE_GROUPS = ("serving.knative.dev", "eventing.knative.dev", "sources.knative.dev")


def is_knative(doc: dict[str, Any]) -> bool:
    return doc.get("apiVersion", "").split("/")[0] in KNATIVE_GROUPS


def schema_file(api_version: str, kind: str) -> Path:
    return SCHEMAS_DIR / f"{kind.lower()}-{api_version.replace('/', '-')}.json"


@cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMAS_DIR.glob("*.json"):
        contents = json.loads(path.read_text())
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def validator(api_version: str, kind: str) -> Draft202012Validator:
    path = schema_file(api_version, kind)
    if not path.exists():
        raise LookupError(f"no schema for {api_version} {kind} (expected {path.name})")
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=_registry())


def errors(doc: dict[str, Any]) -> list[str]:
    """Every schema violation in `doc`, as `path: message` lines (empty when valid)."""
    found = validator(doc["apiVersion"], doc["kind"]).iter_errors(doc)
    return [f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
            for error in sorted(found, key=lambda e: list(map(str, e.absolute_path)))]
