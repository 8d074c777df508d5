"""What every spec loader shares: YAML reading that keeps scalars as written, errors, label checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from ..promql import is_valid_label_name
from ..sli_plugins import SLIPluginRegistry


class SpecError(ValueError):
    """A spec that cannot be turned into SLOs; the message says where and why."""


class _LiteralScalarLoader(yaml.SafeLoader):
    """Keeps `true`, `2`, `0.2` as the text written (labels need `"true"`, not `"True"`); nulls stay None."""


_LiteralScalarLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_documents(text: str) -> list[dict[str, Any]]:
    try:
        docs = [d for d in yaml.load_all(text, Loader=_LiteralScalarLoader) if d is not None]
    except yaml.YAMLError as exc:
        raise SpecError(f"not valid YAML: {exc}") from exc
    for index, doc in enumerate(docs):
        if not isinstance(doc, dict):
            raise SpecError(f"document {index + 1}: expected a mapping, got {type(doc).__name__}")
    if not docs:
        raise SpecError("the file holds no YAML document")
    return docs


def describe_validation_error(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        where = ".".join(str(part) for part in err["loc"]) or "(document)"
        lines.append(f"  {where}: {err['msg']}")
    return "\n".join(lines)


def check_labels(labels: dict[str, str], where: str) -> dict[str, str]:
    for key in labels:
        if not is_valid_label_name(key) or key == "__name__":
            raise ValueError(f"{where}: {key!r} is not a valid Prometheus label name")
    return labels


def check_annotations(annotations: dict[str, str], where: str) -> dict[str, str]:
    for key in annotations:
        if not is_valid_label_name(key):
            raise ValueError(f"{where}: {key!r} is not a valid Prometheus annotation name")
    return annotations


@dataclass
class LoadOptions:
    """How to read specs that do not name their own SLO period, and which SLI plugins exist."""

    default_period_seconds: int
    sli_plugins: SLIPluginRegistry = field(default_factory=SLIPluginRegistry)


def string_map(value: Any) -> Any:
    """Null maps become empty; scalar values become their text."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): "" if v is None else str(v) for k, v in value.items()}
    return value
