"""Causes connected to the incident come first: the affected component, what it depends on (transitively, in the
twin or as its findings name failing dependencies), and objects it sits on (its node, its claim). An unhealthy
component with no path to the affected one is a bystander: it keeps its place among the bystanders, after them.
Nothing is reordered when the affected component is unknown, nothing ranked is connected to it, or nothing is known
of how components connect (no edges, no findings naming a dependency or the workloads an object serves): without a
graph no one is known to be a bystander, and the ranking's order (change strength, onset) stands."""

from __future__ import annotations

from collections.abc import Iterable

from functions.correlate.finding_links import dependency_edges
from sreo_events.models import Cause

# evidence lists that name the workloads an object serves (a node's pods, a claim's consumers)
SERVED_KEYS = ("workloads_on_node", "consumers")


def _same(component: str, affected: str) -> bool:
    return component == affected or component.rsplit("/", 1)[-1] == affected


def _served(cause: Cause) -> list[str]:
    """The workloads a cause's own findings say it serves (the pods on a node, the consumers of a claim)."""
    return [str(value) for finding in cause.evidence if finding.subject == cause.component
            for key in SERVED_KEYS if isinstance(finding.evidence.get(key), list) for value in finding.evidence[key]]


def _dependency_graph(causes: list[Cause], edges: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """caller -> callees, from the twin's edges and the dependencies the causes' findings name as failing."""
    graph: dict[str, set[str]] = {}
    findings = [finding for cause in causes for finding in cause.evidence]
    for caller, callee in set(edges) | dependency_edges(findings):
        graph.setdefault(caller, set()).add(callee)
    return graph


def connected_to(affected: str, causes: list[Cause], graph: dict[str, set[str]],
                 served: list[tuple[str, list[str]]]) -> set[str]:
    start = {node for node in graph if _same(node, affected)} | {c.component for c in causes
                                                                 if _same(c.component, affected)}
    reached, frontier = set(start), list(start)
    while frontier:
        for callee in graph.get(frontier.pop(), ()):
            if callee not in reached:
                reached.add(callee)
                frontier.append(callee)
    reached.update(component for component, workloads in served if any(_same(s, affected) for s in workloads))
    return reached


def connected_first(causes: list[Cause], affected: str | None, edges: Iterable[tuple[str, str]]) -> list[Cause]:
    if not affected or not causes:
        return causes
    graph = _dependency_graph(causes, edges)
    served = [(cause.component, _served(cause)) for cause in causes]
    if not graph and not any(workloads for _, workloads in served):
        return causes
    reached = connected_to(affected, causes, graph, served)
    near = [cause for cause in causes if cause.component in reached]
    if not near or len(near) == len(causes):
        return causes
    far = [cause.model_copy(update={"reason": f"{cause.reason}; not connected to {affected}: a bystander"})
           for cause in causes if cause.component not in reached]
    ordered, ceiling = [], 1.0
    for cause in near + far:
        ceiling = min(ceiling, cause.confidence)
        ordered.append(cause.model_copy(update={"confidence": ceiling}))
    return ordered
