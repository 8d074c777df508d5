"""Score per component: the blame that settles on it, plus bonuses for temporal precedence and corroboration,
and the deterministic order of the scored components (see :mod:`functions.correlate.ranking`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from functions.correlate.blame import ANOMALOUS, Passes, blame_flows, settle
from functions.correlate.call_graph import CallGraph
from functions.correlate.signals import ComponentSignal
from functions.correlate.waiting import Waits

PRECEDENCE_WEIGHT = 0.25
CORROBORATION_WEIGHT = 0.25


@dataclass(frozen=True)
class Blame:
    settled: dict[str, float]  # per node, where blame ends up
    keep: dict[str, float]  # per node, the share of its own blame it keeps
    passes: Passes  # per node, the shares it hands to each explaining callee


@dataclass(frozen=True)
class Scored:
    node: str
    score: float
    raw_anomaly: float
    onset: datetime | None
    contributions: dict[str, float]
    signal: ComponentSignal | None


def is_context(signal: ComponentSignal | None) -> bool:
    return signal is not None and signal.context


def _explaining_callees(graph: CallGraph, by_component: dict[str, ComponentSignal]) -> dict[str, list[str]]:
    """The dependencies that may explain each caller: a dependency that is context (its trouble began long before
    the symptom) explains nothing of a caller that changed at the symptom; the caller was fine with it before."""
    return {caller: [c for c in callees if is_context(by_component.get(caller)) or not is_context(by_component.get(c))]
            for caller, callees in graph.callees.items()}


def initial_blame(anomaly_h: float, explained_wait: float) -> float:
    """Only an anomalous component has something to explain: its own anomaly, or the part of its wait that its
    dependencies account for (an unexplained wait says nothing new about the caller)."""
    return max(anomaly_h if anomaly_h >= ANOMALOUS else 0.0, explained_wait)


def settled_blame(graph: CallGraph, by_component: dict[str, ComponentSignal], h: dict[str, float],
                  onset: dict[str, datetime | None], waited: Waits) -> Blame:
    start = {n: initial_blame(h[n], waited.handed_on.get(n, 0.0)) for n in graph.nodes}
    blamed = {n: s.blames for n, s in by_component.items()}
    raw_anomaly = {n: s.anomaly for n, s in by_component.items()}
    keep, passes = blame_flows(graph.nodes, _explaining_callees(graph, by_component), h, onset, blamed, raw_anomaly,
                               waited.handed_on, waited.suspicion, start)
    settled = settle(start, keep, passes)
    return Blame(settled={node: settled.get(node, 0.0) for node in graph.nodes}, keep=keep, passes=passes)


def precedence(node: str, onset: dict[str, datetime | None], anomalous: list[str]) -> float:
    """Share of the other anomalous components (with a known onset) whose onset is later than this one's."""
    others = [other for other in anomalous if other != node and onset[other] is not None]
    if onset[node] is None or not others:
        return 0.0
    later = sum(1.0 for other in others if onset[other] > onset[node])
    return later / len(others)


def _corroboration(signal: ComponentSignal | None, seen_domains: set[str]) -> float:
    """Share of the incident's evidence domains that flagged it, blended with its finding severity."""
    domains = signal.domains if signal else frozenset()
    domain_share = len(domains) / len(seen_domains) if seen_domains else 0.0
    severity = min(1.0, max(0.0, signal.severity)) if signal else 0.0
    return (domain_share + severity) / 2


def scored(nodes: list[str], by_component: dict[str, ComponentSignal], h: dict[str, float],
           onset: dict[str, datetime | None], blame: Blame) -> list[Scored]:
    anomalous = [n for n in nodes if h[n] >= ANOMALOUS and not is_context(by_component.get(n))]
    seen_domains = set().union(*(s.domains for s in by_component.values())) if by_component else set()
    rows = []
    for node in nodes:
        signal = by_component.get(node)
        contributions = {
            "blame": blame.settled[node],
            "precedence": PRECEDENCE_WEIGHT * h[node] * precedence(node, onset, anomalous),
            "corroboration": CORROBORATION_WEIGHT * h[node] * _corroboration(signal, seen_domains),
        }
        score = sum(contributions.values())
        contributions["anomaly"] = h[node]
        rows.append(Scored(node, score, signal.anomaly if signal else 0.0, onset[node], contributions, signal))
    return rows


def ordered(rows: list[Scored]) -> list[Scored]:
    """Components that changed at the symptom before context; then higher score, higher raw anomaly, earlier
    onset (unknown last), then name ascending."""
    return sorted(rows, key=lambda r: (is_context(r.signal), -round(r.score, 12), -r.raw_anomaly, r.onset is None,
                                       r.onset or datetime.min.replace(tzinfo=UTC), r.node))
