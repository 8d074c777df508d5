"""Blame propagation along dependencies (pure, standard library only): who explains whom, and where blame settles.

Used by :mod:`functions.correlate.ranking`; the rules are described there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from math import prod

from functions.correlate.anomaly import ONSET_THRESHOLD

ANOMALY_HALF_POINT = ONSET_THRESHOLD
ANOMALOUS = 0.5  # h at the half point: the component is at least as anomalous as this incident's typical one
LATER_CALLEE_SHARE = 0.5
EXPLAINED_FRACTION = 0.5
_SETTLED = 1e-9
_MAX_ROUNDS = 200


@dataclass(frozen=True)
class CallLatency:
    """One measured quantile (e.g. p90) of a component's latency on its outgoing calls, in seconds: its baseline
    level and spread, and its level in the incident window."""

    baseline: float
    spread: float
    level: float

    @property
    def rise(self) -> float:
        return self.level - self.baseline

    def z(self, level: float | None = None) -> float:
        """Robust z of ``level`` (default: the window's) above the baseline; a fall counts as 0."""
        value = self.level if level is None else level
        return max(0.0, value - self.baseline) / self.spread if self.spread > 0 else 0.0


def squash_wait(z: float) -> float:
    return max(0.0, z) / (max(0.0, z) + ANOMALY_HALF_POINT)


def _earlier(first: datetime | None, second: datetime | None) -> bool:
    return first is not None and second is not None and first < second


def _explained_share(caller_h: float, callee_h: float) -> float:
    """How much of a caller's anomaly one callee explains: nothing unless the callee is the more anomalous
    of the two, everything once it is twice as anomalous (the root is a local peak along dependencies)."""
    if callee_h <= 0:
        return 0.0
    if caller_h <= 0:
        return 1.0
    return min(1.0, max(0.0, callee_h / caller_h - 1.0))


Passes = dict[str, list[tuple[str, float]]]


def _agreement(wait: float, quantiles: Sequence[CallLatency], delay: float) -> float:
    """How well a caller's wait matches a delay of ``delay`` seconds on calls to one of its dependencies.

    Without measured quantiles the caller should simply wait. With them: a delayed call lasts at least ``delay``,
    so a quantile below it should rise to it, while a quantile already above it hides the delay. Which quantile
    moves depends on the dependency's unknown share of the calls, so the best-matching one counts."""
    if not quantiles:
        return wait
    return max(1.0 - abs(squash_wait(q.z()) - squash_wait(q.z(max(q.baseline, delay)))) for q in quantiles)


def waiting_suspicion(callers: dict[str, list[str]], callees: dict[str, list[str]], wait: dict[str, float],
                      call_latency: dict[str, tuple[CallLatency, ...]]) -> dict[str, float]:
    """How well each dependency, if it were slow, explains which components wait longer on their calls: every
    caller of it should be waiting (as far as its measured latency can show the delay, taken as the largest rise
    among them), and every other component that makes calls should not."""
    suspicion = {}
    for node, its_callers in callers.items():
        if all(c in wait for c in its_callers):
            delay = max((q.rise for c in its_callers for q in call_latency.get(c, ())), default=0.0)
            fit = prod(_agreement(wait[c], call_latency.get(c, ()), delay) for c in its_callers)
            others_calm = prod(1.0 - w for c, w in wait.items() if c in callees and c not in its_callers)
            suspicion[node] = fit * others_calm
    return suspicion


def explained_waits(wait: dict[str, float], suspicion: dict[str, float],
                    callees: dict[str, list[str]]) -> dict[str, float]:
    """The part of each anomalous wait its own dependencies account for: the wait times their share of all the
    suspicion in the graph (a caller whose dependencies fit the pattern poorly hands little on)."""
    everything = sum(suspicion.values())
    if everything <= 0:
        return {}
    return {node: w * sum(suspicion.get(dep, 0.0) for dep in callees.get(node, ())) / everything
            for node, w in wait.items() if w >= ANOMALOUS}


def blame_flows(
    nodes: Sequence[str], callees: dict[str, list[str]], h: dict[str, float], onset: dict,
    blamed: dict[str, frozenset[str]], raw: dict[str, float], explained_wait: dict[str, float],
    suspicion: dict[str, float], start: dict[str, float],
) -> tuple[dict[str, float], Passes]:
    """Per node: the share of its blame it keeps, and the shares it hands to each explaining callee (``start``: the
    blame each node starts with, of which its explained wait is a part)."""
    keep: dict[str, float] = {}
    passes: Passes = {}
    for node in nodes:
        weights: dict[str, float] = {}
        for callee in callees.get(node, ()):
            named = callee in blamed.get(node, ()) and raw.get(callee, 0.0) >= ANOMALY_HALF_POINT
            share = 1.0 if named else _explained_share(h[node], h[callee])
            if _earlier(onset[node], onset[callee]):
                share *= LATER_CALLEE_SHARE
            if share > 0:
                weights[callee] = share
        explained = max(weights.values(), default=0.0)
        waiting = explained_wait.get(node, 0.0)
        suspects = sum(suspicion.get(callee, 0.0) for callee in callees.get(node, ()))
        if waiting > 0 and suspects > 0:
            share = waiting / start[node]
            for callee in callees[node]:
                weights[callee] = weights.get(callee, 0.0) + share * suspicion.get(callee, 0.0) / suspects
            explained = max(explained, share)
        total = sum(weights.values())
        keep[node] = 1.0 - explained
        passes[node] = [(callee, explained * w / total) for callee, w in weights.items() if w > 0] if total else []
    return keep, passes


def settle(start: dict[str, float], keep: dict[str, float], passes: Passes) -> dict[str, float]:
    """Where blame ends up when ``start`` mass walks down the explaining callees (an absorbing walk)."""
    blame: dict[str, float] = {}
    moving = {node: mass for node, mass in start.items() if mass > 0}
    for _ in range(_MAX_ROUNDS):
        if sum(moving.values()) < _SETTLED:
            break
        next_moving: dict[str, float] = {}
        for node, mass in moving.items():
            blame[node] = blame.get(node, 0.0) + mass * keep[node]
            for callee, fraction in passes[node]:
                next_moving[callee] = next_moving.get(callee, 0.0) + mass * fraction
        moving = next_moving
    for node, mass in moving.items():
        blame[node] = blame.get(node, 0.0) + mass
    return blame


def explained_callers(node: str, callers: dict[str, list[str]], h: dict[str, float],
                       keep: dict[str, float], passes: Passes) -> tuple[str, ...]:
    """Anomalous upstream components that hand at least half of their blame to ``node``: their symptoms are its.

    ``absorbed[n]`` is the share of a unit of blame starting at ``n`` that settles on ``node``; it is solved by
    fixed-point passes over the upstream nodes only."""
    upstream, frontier = set(), [node]
    while frontier:
        frontier = [c for n in frontier for c in callers.get(n, ()) if c not in upstream and c != node]
        upstream.update(frontier)
    absorbed = {n: 0.0 for n in upstream}
    absorbed[node] = keep[node]
    for _ in range(_MAX_ROUNDS):
        change = 0.0
        for n in upstream:
            value = sum(fraction * absorbed.get(callee, 0.0) for callee, fraction in passes[n])
            change = max(change, abs(value - absorbed[n]))
            absorbed[n] = value
        if change < _SETTLED:
            break
    return tuple(sorted(c for c in upstream if h[c] >= ANOMALOUS and absorbed[c] >= EXPLAINED_FRACTION))
