"""How the database analyzers grade what they measure and shape their findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.domains.database.analyzers.thresholds import DatabaseScope
from sreo_events.models import Finding, Severity, TimeWindow

EVIDENCE_ITEMS = 10
TEXT_CHARS = 200
ItemT = TypeVar("ItemT")


def database_context(window: TimeWindow, baseline: TimeWindow | None = None, **scope: Any) -> AnalysisContext:
    """The context for `window` (baseline: the database policy, see functions/_platform/analyzers/baseline.py);
    `scope` are DatabaseScope fields (thresholds, subject, host_subjects)."""
    context = AnalysisContext.around("database", window, scope=DatabaseScope(**scope))
    return context if baseline is None else context.but(window=window, baseline=baseline)


def truncate(text: str | None, limit: int = TEXT_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def strength(value: float, threshold: float, critical: float) -> float:
    """0.5 at the threshold rising linearly to 1.0 at the critical level (clamped to 0.3..1.0)."""
    if critical <= threshold:
        return 1.0 if value >= threshold else 0.3
    return round(min(1.0, max(0.3, 0.5 + 0.5 * (value - threshold) / (critical - threshold))), 3)


def severity_for(value: float, critical: float) -> Severity:
    return "critical" if value >= critical else "warning"


def fmt_age(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = float(seconds)
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"


def make_finding(kind: str, subject: str, severity: Severity, score: float, summary: str,
                 context: AnalysisContext, evidence: dict[str, Any], query: str,
                 onset: datetime | None = None, window: TimeWindow | None = None,
                 baseline: TimeWindow | None = None) -> Finding:
    return context.finding(kind=kind, subject=context.scope.subject or subject, severity=severity,
                          score=round(min(1.0, max(0.0, score)), 3), summary=summary, window=window,
                          baseline=baseline, onset=onset, evidence=evidence, query=query)


def at_or_over(items: Iterable[ItemT], measure: Callable[[ItemT], float | None], threshold: float) -> list[ItemT]:
    """The items whose measure (a missing one counting as 0) reaches `threshold`, largest first."""
    return sorted((item for item in items if (measure(item) or 0) >= threshold),
                  key=lambda item: -(measure(item) or 0))


def critical_level(threshold: float, context: AnalysisContext) -> float:
    """Where a measure graded against `threshold` turns critical: `critical_age_factor` times it (at least 1)."""
    return max(threshold, 1.0) * context.scope.thresholds.critical_age_factor


def graded_finding(kind: str, subject: str, value: float, threshold: float, summary: str,
                   context: AnalysisContext, evidence: dict[str, Any], query: str,
                   onset: datetime | None = None) -> list[Finding]:
    """One finding whose severity and score grade `value` from `threshold` up to its critical level."""
    critical = critical_level(threshold, context)
    return [make_finding(kind, subject, severity_for(value, critical), strength(value, threshold, critical),
                         summary, context, evidence, query, onset=onset)]
