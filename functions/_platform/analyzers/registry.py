"""Every analyzer, by domain, in the order it runs: read from each domain's slice (see
functions/_platform/domains/registry.py). Adding one is one module and one line in its domain's `slice.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext, Analyzer
from functions._platform.domains.registry import SLICES
from sreo_events.models import Finding

ANALYZERS: dict[str, tuple[Analyzer[Any], ...]] = {
    name: domain.analyzers() for name, domain in SLICES.items() if domain.analyzers
}

# How a domain orders its findings; a domain that declares no order keeps analyzer order.
ORDER: dict[str, Callable[[Finding, AnalysisContext], Any]] = {
    name: domain.order for name, domain in SLICES.items() if domain.order
}


def analyzers(domain: str, scope: str | None = None) -> tuple[Analyzer[Any], ...]:
    """The domain's analyzers, in order; with `scope`, those that read that kind of input."""
    return tuple(a for a in ANALYZERS[domain] if scope is None or scope in getattr(a, "scopes", (scope,)))


def analyzer(domain: str, kind: str) -> Analyzer[Any]:
    """The domain's analyzer named `kind`."""
    for candidate in ANALYZERS[domain]:
        if candidate.kind == kind:
            return candidate
    raise KeyError(f"no {domain} analyzer {kind!r}")
