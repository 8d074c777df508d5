"""Root-cause ranking over a dependency graph (pure: no I/O, standard library only).

Each component arrives as a :class:`ComponentSignal` (how anomalous it is, when it started, which
evidence domains flagged it). Ranking then works in three steps:

1. **Anomaly mass.** A component's strength ``a`` (robust z, scale-free) is squashed to
   ``h = a / (a + half)`` in [0, 1). ``half`` is the three-sigma threshold, raised to the median
   anomaly over every component in the graph (one with no signal counts as 0) when most components
   moved, so blame goes to the outliers and one huge value cannot drown everything else.
2. **Blame propagation downstream.** Each anomalous component (``h`` at least one half) starts with ``h``
   units of blame; one that is not anomalous has nothing to explain and starts with none, otherwise a
   dependency shared by many healthy callers would collect their small shares and outrank the root. A callee
   explains its caller only to the extent that it is *more* anomalous than the caller (nothing at
   equal strength, everything at twice), so the root is a local peak of anomaly along the
   dependency direction. A callee the caller's own evidence names as failing (``blames``: refused or
   timed-out calls to it) explains it fully once the callee is anomalous itself (past the three-sigma
   threshold), whatever the magnitudes. A callee whose onset is later than the caller's explains half as much. A
   caller keeps ``1 - max explained`` of its blame and hands the rest to the explaining callees in
   proportion. Passing repeats until the blame settles (an absorbing walk, so cycles are fine). A
   shared dependency behind several failing callers collects their blame; a caller whose
   dependencies are healthy keeps its own.

   **Waiting callers.** A component whose calls to its dependencies got slower (``waiting``: known only in
   aggregate, e.g. a pod's client-side latency, so no single dependency is named) may be waiting on a
   dependency that looks healthy, as with a delay on the network path to it. Each dependency is a suspect by
   how well it, if it were slow, accounts for the pattern of waiting: every caller of it waits, and every
   other component that makes calls does not (the product of the callers' wait, squashed at the three-sigma
   point, and the others' calm). When a caller's latency quantiles are known (``call_latency``), it is only
   expected to show the delay where it can: a delay of ``d`` seconds (the largest rise among the suspect's
   callers) lifts a quantile sitting below ``d`` up to it and hides under one already above it, so a busy
   caller whose tail is already slow is not held against a dependency it calls rarely. A waiting caller
   hands on the part of its wait that its own dependencies account for (their share of all the suspicion),
   split among them by suspicion; that part counts as blame it starts with even when its own metrics are calm.
   A dependency shared with a caller that does not wait is unlikely; one that no calm caller uses is likely. A
   wait no dependency fits moves nothing: the caller is judged on its own anomaly alone. Such a suspect can
   rank with no anomaly of its own; its reason names the waiting callers.
3. **Bonuses** scaled by ``h``: temporal precedence (share of other anomalous components whose onset
   is later) and corroboration (share of the evidence domains seen in this incident that flagged the
   component, blended with the finding severity).

Edges are deduplicated and visited in sorted order, so the result does not depend on input order.
Ties are broken deterministically by, in order: higher score, higher raw anomaly, earlier onset
(unknown onsets last), then component name in ascending order.

Each cause also names the anomalous upstream components it ``explains``: those that hand at least half
of their blame to it, so their symptoms count as its evidence.

Confidence comes from the margin over the runner-up: ``h * score / (score + runner_up_score)``, so
a lone clear winner approaches its own ``h`` and a tie gives half of it; lower ranks never get more
confidence than the rank above them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from statistics import median

from functions.correlate.anomaly import series_anomaly, series_onset
from functions.correlate.blame import (
    ANOMALOUS,
    ANOMALY_HALF_POINT,
    CallLatency,
    blame_flows,
    explained_callers,
    explained_waits,
    settle,
    squash_wait,
    waiting_suspicion,
)

__all__ = ["CallLatency", "ComponentSignal", "RankedCause", "rank", "series_anomaly", "series_onset"]

PRECEDENCE_WEIGHT = 0.25
CORROBORATION_WEIGHT = 0.25


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


@dataclass(frozen=True)
class RankedCause:
    component: str
    score: float
    confidence: float
    reason: str
    contributions: dict[str, float] = field(default_factory=dict)
    evidence_ids: tuple[str, ...] = ()
    explains: tuple[str, ...] = ()


def _as_utc(moment: datetime | None) -> datetime | None:
    """Naive onsets are taken as UTC so that agents reporting either kind can be compared."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _merge(signals: Iterable[ComponentSignal]) -> dict[str, ComponentSignal]:
    merged: dict[str, ComponentSignal] = {}
    for signal in signals:
        signal = replace(signal, onset=_as_utc(signal.onset))
        previous = merged.get(signal.component)
        if previous is None:
            merged[signal.component] = signal
            continue
        onsets = [t for t in (previous.onset, signal.onset) if t is not None]
        merged[signal.component] = ComponentSignal(
            component=signal.component,
            anomaly=max(previous.anomaly, signal.anomaly),
            onset=min(onsets) if onsets else None,
            domains=previous.domains | signal.domains,
            severity=max(previous.severity, signal.severity),
            evidence_ids=tuple(dict.fromkeys(previous.evidence_ids + signal.evidence_ids)),
            blames=previous.blames | signal.blames,
            waiting=max(previous.waiting, signal.waiting),
            call_latency=previous.call_latency + signal.call_latency,
        )
    return merged


def _squash(anomaly: float, half_point: float) -> float:
    strength = max(0.0, float(anomaly))
    return strength / (strength + half_point)


def _half_point(anomalies: list[float]) -> float:
    """The anomaly that counts as "half anomalous": the three-sigma threshold, raised to the graph's typical
    (median) component anomaly, silent components counting as 0, when most components moved."""
    if not anomalies:
        return ANOMALY_HALF_POINT
    return max(ANOMALY_HALF_POINT, median(max(0.0, a) for a in anomalies))


def _initial_blame(anomaly_h: float, explained_wait: float) -> float:
    """Only an anomalous component has something to explain: its own anomaly, or the part of its wait that its
    dependencies account for (an unexplained wait says nothing new about the caller)."""
    return max(anomaly_h if anomaly_h >= ANOMALOUS else 0.0, explained_wait)


def _precedence(node: str, onset: dict, anomalous: list[str]) -> float:
    others = [other for other in anomalous if other != node and onset[other] is not None]
    if onset[node] is None or not others:
        return 0.0
    later = sum(1.0 for other in others if onset[other] > onset[node])
    return later / len(others)


def _reason(node: str, signal: ComponentSignal | None, h: dict, onset: dict, callers, callees,
            waiting_callers: list[str]) -> str:
    """Why it ranks where it does; a suspect that is not anomalous itself is there because of waiting callers."""
    if h[node] < ANOMALOUS and waiting_callers:
        return (f"no clear anomaly of its own, but {', '.join(waiting_callers)} wait longer on calls to their dependencies "
                "and this one best fits which callers wait and which do not: suspect it or the network path to it")
    if signal is None or h[node] == 0:
        return "no anomaly observed; listed only because of its position in the dependency graph"
    parts = [f"anomaly {signal.anomaly:.1f}x baseline spread"]
    if signal.onset is not None:
        parts[0] += f" from {signal.onset:%H:%M}"
        upstream = [onset[c] for c in callers.get(node, ()) if h[c] >= ANOMALOUS and onset[c] is not None]
        if upstream and min(upstream) > signal.onset:
            lead = (min(upstream) - signal.onset).total_seconds() / 60
            parts[0] += f", {lead:.0f} min before its callers"
    if signal.domains:
        parts.append("seen in " + ", ".join(sorted(signal.domains)))
    sick = sorted(c for c in callees.get(node, ()) if h[c] >= ANOMALOUS)
    if not callees.get(node):
        parts.append("it has no known dependencies")
    elif sick:
        parts.append("its dependencies " + ", ".join(sick) + " are anomalous too")
    else:
        parts.append("its dependencies are healthy")
    hurt = sorted(c for c in callers.get(node, ()) if h[c] >= ANOMALOUS)
    if hurt:
        parts.append(f"{len(hurt)} anomalous caller(s) depend on it")
    return "; ".join(parts)


def rank(
    signals: Iterable[ComponentSignal], edges: Iterable[tuple[str, str]], k: int = 5
) -> list[RankedCause]:
    """Top-``k`` probable root causes; ``edges`` are (caller, callee): the caller depends on the callee."""
    by_component = _merge(signals)
    callees: dict[str, list[str]] = {}
    callers: dict[str, list[str]] = {}
    named_edges = {(s.component, dep) for s in by_component.values() for dep in s.blames}
    for caller, callee in sorted(set(edges) | named_edges):
        if caller == callee:
            continue
        callees.setdefault(caller, []).append(callee)
        callers.setdefault(callee, []).append(caller)
    nodes = sorted(set(by_component) | set(callees) | set(callers))
    if not nodes or k <= 0:
        return []
    half_point = _half_point([by_component[n].anomaly if n in by_component else 0.0 for n in nodes])
    h = {n: _squash(by_component[n].anomaly, half_point) if n in by_component else 0.0 for n in nodes}
    onset = {n: by_component[n].onset if n in by_component else None for n in nodes}
    blamed = {n: s.blames for n, s in by_component.items()}
    raw_anomaly = {n: s.anomaly for n, s in by_component.items()}
    wait = {n: squash_wait(max([s.waiting, *(q.z() for q in s.call_latency)]))
            for n, s in by_component.items() if s.waiting > 0 or s.call_latency}
    call_latency = {n: s.call_latency for n, s in by_component.items() if s.call_latency}
    suspicion = waiting_suspicion(callers, callees, wait, call_latency)
    handed_on = explained_waits(wait, suspicion, callees)
    start = {n: _initial_blame(h[n], handed_on.get(n, 0.0)) for n in nodes}
    keep, passes = blame_flows(nodes, callees, h, onset, blamed, raw_anomaly, handed_on, suspicion, start)
    settled = settle(start, keep, passes)
    blame = {node: settled.get(node, 0.0) for node in nodes}
    anomalous = [n for n in nodes if h[n] >= ANOMALOUS]
    seen_domains = set().union(*(s.domains for s in by_component.values())) if by_component else set()

    rows = []
    for node in nodes:
        signal = by_component.get(node)
        domains = signal.domains if signal else frozenset()
        domain_share = len(domains) / len(seen_domains) if seen_domains else 0.0
        severity = min(1.0, max(0.0, signal.severity)) if signal else 0.0
        contributions = {
            "blame": blame[node],
            "precedence": PRECEDENCE_WEIGHT * h[node] * _precedence(node, onset, anomalous),
            "corroboration": CORROBORATION_WEIGHT * h[node] * (domain_share + severity) / 2,
        }
        score = sum(contributions.values())
        contributions["anomaly"] = h[node]
        raw = signal.anomaly if signal else 0.0
        rows.append((score, raw, onset[node], node, contributions, signal))

    rows.sort(
        key=lambda r: (
            -round(r[0], 12),
            -r[1],
            r[2] is None,
            r[2] or datetime.min.replace(tzinfo=UTC),
            r[3],
        )
    )
    top = rows[: min(k, len(rows))]

    def waiting_callers(node: str) -> list[str]:
        return sorted(c for c in callers.get(node, ()) if wait.get(c, 0.0) >= ANOMALOUS) if blame[node] > 0 else []

    results: list[RankedCause] = []
    ceiling = 1.0
    for position, (score, _, _, node, contributions, signal) in enumerate(top):
        rival = rows[1][0] if position == 0 and len(rows) > 1 else (rows[0][0] if position else 0.0)
        share = score / (score + rival) if score + rival > 0 else 0.0
        support = h[node] if h[node] >= ANOMALOUS else max(h[node], min(1.0, contributions["blame"]))
        confidence = min(ceiling, support * share)
        ceiling = confidence
        results.append(
            RankedCause(
                component=node,
                score=round(score, 6),
                confidence=round(confidence, 6),
                reason=_reason(node, signal, h, onset, callers, callees, waiting_callers(node)),
                contributions={name: round(value, 6) for name, value in contributions.items()},
                evidence_ids=signal.evidence_ids if signal else (),
                explains=explained_callers(node, callers, h, keep, passes) if h[node] > 0 else (),
            )
        )
    return results
