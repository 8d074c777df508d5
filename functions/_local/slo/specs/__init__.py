"""Spec loader registry: each loader recognises its documents and maps them to the SLO model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from pydantic import ValidationError

from ..model import SLOGroup
from ..sli_plugins import SLIPluginError
from . import kubernetes_v1, openslo_v1alpha, prometheus_v1
from .common import LoadOptions, SpecError, describe_validation_error, load_documents


class SpecLoader(NamedTuple):
    name: str
    matches: Callable[[dict[str, Any]], bool]
    load: Callable[[dict[str, Any], LoadOptions], SLOGroup]


LOADERS: tuple[SpecLoader, ...] = (
    SpecLoader(prometheus_v1.VERSION, prometheus_v1.matches, prometheus_v1.load),
    SpecLoader(f"{kubernetes_v1.API_VERSION} {kubernetes_v1.KIND}", kubernetes_v1.matches, kubernetes_v1.load),
    SpecLoader(openslo_v1alpha.API_VERSION, openslo_v1alpha.matches, openslo_v1alpha.load),
)


def load_spec_text(text: str, options: LoadOptions) -> list[SLOGroup]:
    """One SLO group per YAML document in `text`."""
    groups = []
    for index, doc in enumerate(load_documents(text)):
        loader = next((candidate for candidate in LOADERS if candidate.matches(doc)), None)
        prefix = f"document {index + 1}"
        if loader is None:
            found = doc.get("version") or doc.get("apiVersion") or "no version"
            known = ", ".join(candidate.name for candidate in LOADERS)
            raise SpecError(f"{prefix}: unsupported spec ({found}); supported: {known}")
        try:
            groups.append(loader.load(doc, options))
        except ValidationError as exc:
            raise SpecError(f"{prefix}: invalid {loader.name} spec:\n{describe_validation_error(exc)}") from exc
        except (ValueError, SLIPluginError) as exc:
            raise SpecError(f"{prefix}: invalid {loader.name} spec: {exc}") from exc
    return groups


__all__ = ["LOADERS", "LoadOptions", "SpecError", "SpecLoader", "load_spec_text"]
