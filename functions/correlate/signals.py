"""What the ranking takes and gives: one signal per component in, ranked causes out; signals for the same
component are merged into one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from functions.correlate.blame import CallLatency


@dataclass(frozen=True)
class ComponentSignal:
    component: str
    anomaly: float
    onset: datetime | None = None
    domains: frozenset[str] = frozenset()
    severity: float = 0.0
    evidence_ids: tuple[str, ...] = ()
    blames: frozenset[str] = frozenset()  # dependencies its own evidence names as failing (e.g. refused calls)
    waiting: float = 0.0  # robust z of the rise in its calls' latency, when known only in aggregate over its dependencies
    call_latency: tuple[CallLatency, ...] = ()  # its calls' measured latency quantiles; they imply their own wait
    context: bool = False  # all its findings began long before the symptom and none changed at it


@dataclass(frozen=True)
class RankedCause:
    component: str
    score: float
    confidence: float
    reason: str
    contributions: dict[str, float] = field(default_factory=dict)
    evidence_ids: tuple[str, ...] = ()
    explains: tuple[str, ...] = ()


def as_utc(moment: datetime | None) -> datetime | None:
    """Naive onsets are taken as UTC so that agents reporting either kind can be compared."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _combined(previous: ComponentSignal, signal: ComponentSignal) -> ComponentSignal:
    onsets = [t for t in (previous.onset, signal.onset) if t is not None]
    return ComponentSignal(
        component=signal.component,
        anomaly=max(previous.anomaly, signal.anomaly),
        onset=min(onsets) if onsets else None,
        domains=previous.domains | signal.domains,
        severity=max(previous.severity, signal.severity),
        evidence_ids=tuple(dict.fromkeys(previous.evidence_ids + signal.evidence_ids)),
        blames=previous.blames | signal.blames,
        waiting=max(previous.waiting, signal.waiting),
        call_latency=previous.call_latency + signal.call_latency,
        context=previous.context and signal.context,
    )


def merge_signals(signals: Iterable[ComponentSignal]) -> dict[str, ComponentSignal]:
    """One signal per component, onsets in UTC: the strongest anomaly, the earliest onset, the union of the rest."""
    merged: dict[str, ComponentSignal] = {}
    for signal in signals:
        signal = replace(signal, onset=as_utc(signal.onset))
        previous = merged.get(signal.component)
        merged[signal.component] = signal if previous is None else _combined(previous, signal)
    return merged
