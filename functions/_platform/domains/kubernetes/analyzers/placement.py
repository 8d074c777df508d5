"""Where a Kubernetes finding's onset falls against the incident window, and what that weighs: a change inside
the window or the baseline just before it is a likelier cause than one that was already there long before."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from functions._platform.analyzers.contract import AnalysisContext
from sreo_events.models import Finding, Severity

Placement = Literal["window", "baseline", "before_baseline", "after_window", "unknown"]

PLACEMENT_WEIGHT: dict[str, float] = {
    "window": 1.0, "baseline": 1.0, "unknown": 0.85, "after_window": 0.7, "before_baseline": 0.6,
}
MAX_EVIDENCE_ITEMS = 20
MAX_TEXT = 300


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def clip(text: Any, limit: int = MAX_TEXT) -> str:
    text = str(text or "")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def placement(context: AnalysisContext, moment: datetime | None) -> Placement:
    if moment is None:
        return "unknown"
    if moment >= parse_time(context.window.end):
        return "after_window"
    if moment >= parse_time(context.window.start):
        return "window"
    if moment >= parse_time(context.baseline.start):
        return "baseline"
    return "before_baseline"


def placed_finding(context: AnalysisContext, *, kind: str, subject: str, severity: Severity, score: float,
                   summary: str, onset: datetime | None, evidence: dict[str, Any], query: str,
                   persists: bool = False) -> Finding:
    """A finding whose score is weighed by where its onset falls. ``persists``: the error is still there now (a pod
    still waiting, a claim still Pending, a Job still failed), so its score does not fade with its onset's age."""
    where = placement(context, onset)
    weight = 1.0 if persists else PLACEMENT_WEIGHT[where]
    bounded = {key: value[:MAX_EVIDENCE_ITEMS] if isinstance(value, list) else value
               for key, value in evidence.items()}
    bounded["onset_in"] = where
    if persists:
        bounded["persists"] = True
    return context.finding(kind=kind, subject=subject, severity=severity,
                           score=round(min(1.0, max(0.0, score * weight)), 3), summary=clip(summary, 400),
                           onset=onset, evidence=bounded, query=query)


def focus_first(finding: Finding, context: AnalysisContext) -> Any:
    """Focus subjects first, then strongest first."""
    return finding.subject not in context.focus, -finding.score, finding.kind, finding.subject
