"""Waiting callers: components whose calls got slower in aggregate, and the dependencies that best account for
which of them wait (see :mod:`functions.correlate.ranking`)."""

from __future__ import annotations

from dataclasses import dataclass

from functions.correlate.blame import ANOMALOUS, CallLatency, explained_waits, squash_wait, waiting_suspicion
from functions.correlate.call_graph import CallGraph
from functions.correlate.signals import ComponentSignal


@dataclass(frozen=True)
class Waits:
    wait: dict[str, float]  # squashed wait per component that reports one
    call_latency: dict[str, tuple[CallLatency, ...]]
    suspicion: dict[str, float]  # per dependency: how well its being slow explains who waits
    handed_on: dict[str, float]  # per waiting caller: the part of its wait its own dependencies account for

    def callers_waiting_on(self, node: str, graph: CallGraph) -> list[str]:
        return sorted(c for c in graph.callers.get(node, ()) if self.wait.get(c, 0.0) >= ANOMALOUS)


def waits(by_component: dict[str, ComponentSignal], graph: CallGraph) -> Waits:
    wait = {n: squash_wait(max([s.waiting, *(q.z() for q in s.call_latency)]))
            for n, s in by_component.items() if s.waiting > 0 or s.call_latency}
    call_latency = {n: s.call_latency for n, s in by_component.items() if s.call_latency}
    suspicion = waiting_suspicion(graph.callers, graph.callees, wait, call_latency)
    return Waits(wait=wait, call_latency=call_latency, suspicion=suspicion,
                 handed_on=explained_waits(wait, suspicion, graph.callees))
