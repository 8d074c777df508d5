"""Where a Kubernetes finding's onset falls against the incident window, and what that weighs."""

from __future__ import annotations

from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from sreo_events.models import Finding


def focus_first(finding: Finding, context: AnalysisContext) -> Any:
    """Focus subjects first, then strongest first."""
    return finding.subject not in context.focus, -finding.score, finding.kind, finding.subject
