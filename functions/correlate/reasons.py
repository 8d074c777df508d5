"""Why a component ranks where it does, in a responder's words."""

from __future__ import annotations

from datetime import datetime

from functions.correlate.blame import ANOMALOUS
from functions.correlate.call_graph import CallGraph
from functions.correlate.signals import ComponentSignal


def _anomaly_part(node: str, signal: ComponentSignal, h: dict[str, float], onset: dict[str, datetime | None],
                  graph: CallGraph) -> str:
    part = f"anomaly {signal.anomaly:.1f}x baseline spread"
    if signal.onset is None:
        return part
    part += f" from {signal.onset:%H:%M}"
    upstream = [onset[c] for c in graph.callers.get(node, ()) if h[c] >= ANOMALOUS and onset[c] is not None]
    if upstream and min(upstream) > signal.onset:
        lead = (min(upstream) - signal.onset).total_seconds() / 60
        part += f", {lead:.0f} min before its callers"
    return part


def _neighbours_part(node: str, h: dict[str, float], graph: CallGraph) -> list[str]:
    parts = []
    sick = sorted(c for c in graph.callees.get(node, ()) if h[c] >= ANOMALOUS)
    if not graph.callees.get(node):
        parts.append("it has no known dependencies")
    elif sick:
        parts.append("its dependencies " + ", ".join(sick) + " are anomalous too")
    else:
        parts.append("its dependencies are healthy")
    hurt = sorted(c for c in graph.callers.get(node, ()) if h[c] >= ANOMALOUS)
    if hurt:
        parts.append(f"{len(hurt)} anomalous caller(s) depend on it")
    return parts


def reason(node: str, signal: ComponentSignal | None, h: dict[str, float], onset: dict[str, datetime | None],
           graph: CallGraph, waiting_callers: list[str]) -> str:
    """A suspect that is not anomalous itself is there because of waiting callers."""
    if h[node] < ANOMALOUS and waiting_callers:
        return (f"no clear anomaly of its own, but {', '.join(waiting_callers)} wait longer on calls to their dependencies "
                "and this one best fits which callers wait and which do not: suspect it or the network path to it")
    if signal is None or h[node] == 0:
        return "no anomaly observed; listed only because of its position in the dependency graph"
    parts = [_anomaly_part(node, signal, h, onset, graph)]
    if signal.domains:
        parts.append("seen in " + ", ".join(sorted(signal.domains)))
    if signal.context:
        parts.append("it began long before the symptom and did not change at it: context, not the cause")
    return "; ".join(parts + _neighbours_part(node, h, graph))
