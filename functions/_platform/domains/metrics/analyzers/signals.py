"""What the metrics analyzers read: the series fetched per signal, and the scope of one sweep step (a service,
or the cluster)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from functions._platform.analyzers.contract import AnalysisContext, Analyzer
from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.domains.metrics.source.models import Series
from sreo_events.models import TimeWindow


@dataclass
class SignalData:
    """The series fetched for one signal, and the exact call that fetched them (for `Finding.query`)."""

    series: list[Series]
    query: str


MetricsData = dict[str, SignalData]


@dataclass
class MetricsScope:
    """`service` is None for the cluster scope (nodes)."""

    service: str | None
    step_s: float
    mapping: MetricsMapping = field(default_factory=MetricsMapping)
    service_label: str = "service"  # which of mapping.service_labels carries this service
    symptom_onset: datetime | None = None  # when the symptom began (the alert's startsAt); None: the window's start


def metrics_context(*, service: str | None, window: TimeWindow, baseline: TimeWindow, step_s: float,
                    mapping: MetricsMapping | None = None, service_label: str = "service",
                    symptom_onset: datetime | None = None) -> AnalysisContext[MetricsScope]:
    scope = MetricsScope(service=service, step_s=step_s, mapping=mapping or MetricsMapping(),
                         service_label=service_label, symptom_onset=symptom_onset)
    return AnalysisContext(window=window, baseline=baseline, scope=scope)


def symptom_onset_s(context: AnalysisContext[MetricsScope]) -> float:
    return (context.scope.symptom_onset or context.window.start).timestamp()


class SignalAnalyzer(Analyzer[MetricsData], Protocol):
    """A metrics analyzer: `scopes` "service" and/or "cluster"; `healthy_text` is what `checked` says when it had
    data and found nothing."""

    scopes: frozenset[str]
    healthy_text: str

    def signals(self, context: AnalysisContext[MetricsScope]) -> dict[str, str]:
        """Signal name -> series selector this analyzer needs over baseline.start .. window.end."""


def service_signal(data: MetricsData, name: str, context: AnalysisContext[MetricsScope]) -> SignalData | None:
    """Signal `name` for a service-scoped analyzer; None when it has no series or the scope is the cluster."""
    signal = data.get(name)
    if signal is None or not signal.series or context.scope.service is None:
        return None
    return signal


def iso(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))
