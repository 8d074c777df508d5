"""The one runner: a domain's analyzers over its inputs, findings in the domain's order. Used by the agents,
the scan and the metrics sweep alike."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext, Analyzer
from functions._platform.analyzers.registry import ORDER, analyzers
from sreo_events.models import Finding


def run(domain: str, inputs: Any, context: AnalysisContext, *, scope: str | None = None,
        only: Iterable[Analyzer[Any]] | None = None) -> list[Finding]:
    """Findings of the domain's analyzers (those of `scope`, or just `only`) over `inputs`."""
    if only is None:
        chosen = analyzers(domain, scope)
        if scope is None and any(hasattr(analyzer, "scopes") for analyzer in chosen):
            raise ValueError(f"the {domain} analyzers read different inputs: name the scope")
    else:
        chosen = tuple(only)
    findings = [finding for analyzer in chosen for finding in analyzer.analyze(inputs, context)]
    order = ORDER.get(domain)
    return sorted(findings, key=lambda finding: order(finding, context)) if order else findings
