"""The one analyzer contract: an analyzer turns its domain's inputs into findings, judged against a context."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

from functions._platform.analyzers.baseline import baseline_before
from functions._platform.analyzers.kinds import FindingKind
from sreo_events.models import Finding, Severity, TimeWindow

ScopeT = TypeVar("ScopeT")
InputsT_contra = TypeVar("InputsT_contra", contravariant=True)


def utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class AnalysisContext(Generic[ScopeT]):
    """The incident (or scan) window, the baseline it is compared with, and what narrows the analysis.

    `query` is the exact call that produced the inputs (findings quote it); `focus` the service asked about and
    its dependencies; `scope` a domain's own settings (e.g. DatabaseScope, MetricsScope)."""

    window: TimeWindow
    baseline: TimeWindow
    namespace: str | None = None
    query: str = ""
    focus: frozenset[str] = frozenset()
    scope: ScopeT | None = None

    @classmethod
    def around(cls, domain: str, window: TimeWindow, **fields: Any) -> AnalysisContext:
        """The context for `window` with the domain's baseline policy (see baseline.py)."""
        window = TimeWindow(start=utc(window.start), end=utc(window.end))
        if "focus" in fields:
            fields["focus"] = frozenset(fields["focus"])
        return cls(window=window, baseline=baseline_before(domain, window), **fields)

    def but(self, **changes: Any) -> AnalysisContext:
        return replace(self, **changes)

    @property
    def window_minutes(self) -> float:
        return max((self.window.end - self.window.start).total_seconds() / 60, 1 / 60)

    @property
    def baseline_minutes(self) -> float:
        return max((self.baseline.end - self.baseline.start).total_seconds() / 60, 1 / 60)

    @property
    def window_s(self) -> tuple[float, float]:
        return self.window.start.timestamp(), self.window.end.timestamp()

    @property
    def baseline_s(self) -> tuple[float, float]:
        return self.baseline.start.timestamp(), self.baseline.end.timestamp()

    def finding(self, *, kind: str, subject: str, severity: Severity, score: float, summary: str,
                evidence: dict[str, Any], onset: datetime | None = None, query: str | None = None,
                window: TimeWindow | None = None, baseline: TimeWindow | None = None) -> Finding:
        """A finding over this context's windows, quoting its query unless told otherwise."""
        return Finding(kind=kind, subject=subject, severity=severity, score=score, summary=summary,
                       window=window or self.window, baseline=baseline or self.baseline, onset=onset,
                       evidence=evidence, query=self.query if query is None else query)


class Analyzer(Protocol[InputsT_contra]):
    """`kind` names the analyzer (its main finding kind); `kinds` declares every kind it emits. An analyzer may
    also declare `scopes`, the inputs it reads within its domain (e.g. a database snapshot or log lines)."""

    kind: str
    kinds: tuple[FindingKind, ...]

    def analyze(self, inputs: InputsT_contra, context: AnalysisContext) -> list[Finding]:
        """Deterministic: the same inputs and context always give the same findings."""
