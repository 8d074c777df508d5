"""What every metrics analyzer receives and implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.domains.metrics.source.models import Series
from sreo_events.models import Finding, TimeWindow


@dataclass
class AnalysisContext:
    """`service` is None for the cluster scope (nodes). Windows are compared: incident vs baseline."""

    service: str | None
    window: TimeWindow
    baseline: TimeWindow
    step_s: float
    mapping: MetricsMapping = field(default_factory=MetricsMapping)
    service_label: str = "service"  # which of mapping.service_labels carries this service
    symptom_onset: datetime | None = None  # when the symptom began (the alert's startsAt); None: the window's start

    @property
    def onset_s(self) -> float:
        return (self.symptom_onset or self.window.start).timestamp()

    @property
    def window_s(self) -> tuple[float, float]:
        return self.window.start.timestamp(), self.window.end.timestamp()

    @property
    def baseline_s(self) -> tuple[float, float]:
        return self.baseline.start.timestamp(), self.baseline.end.timestamp()


@dataclass
class SignalData:
    """The series fetched for one signal, and the exact call that fetched them (for `Finding.query`)."""

    series: list[Series]
    query: str


MetricsData = dict[str, SignalData]


class Analyzer(Protocol):
    name: str
    scopes: frozenset[str]  # "service" and/or "cluster"
    healthy_text: str  # what `checked` says when the analyzer had data and found nothing

    def signals(self, context: AnalysisContext) -> dict[str, str]:
        """Signal name -> series selector this analyzer needs over baseline.start .. window.end."""

    def analyze(self, data: MetricsData, context: AnalysisContext) -> list[Finding]:
        """Deterministic findings; empty when healthy."""


def service_signal(data: MetricsData, name: str, context: AnalysisContext) -> SignalData | None:
    """Signal `name` for a service-scoped analyzer; None when it has no series or the scope is the cluster."""
    signal = data.get(name)
    if signal is None or not signal.series or context.service is None:
        return None
    return signal


def iso(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))
