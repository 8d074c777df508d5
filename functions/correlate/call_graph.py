"""The dependency graph the ranking walks: given edges plus the dependencies findings name as failing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from functions.correlate.signals import ComponentSignal


@dataclass(frozen=True)
class CallGraph:
    nodes: list[str]  # sorted: every component with a signal or an edge
    callees: dict[str, list[str]]  # caller -> what it depends on, in sorted edge order
    callers: dict[str, list[str]]  # callee -> what depends on it, in sorted edge order


def call_graph(by_component: dict[str, ComponentSignal], edges: Iterable[tuple[str, str]]) -> CallGraph:
    """``edges`` are (caller, callee); deduplicated, self-loops dropped, visited in sorted order."""
    callees: dict[str, list[str]] = {}
    callers: dict[str, list[str]] = {}
    named_edges = {(s.component, dep) for s in by_component.values() for dep in s.blames}
    for caller, callee in sorted(set(edges) | named_edges):
        if caller == callee:
            continue
        callees.setdefault(caller, []).append(callee)
        callers.setdefault(callee, []).append(caller)
    nodes = sorted(set(by_component) | set(callees) | set(callers))
    return CallGraph(nodes=nodes, callees=callees, callers=callers)
