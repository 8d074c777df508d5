"""Calls between services read from traces, and each service's own time.

A call is an outgoing span (client or producer) of the caller. Its callee is the service of its server (or
consumer) child when that is traced, else the peer its attributes name (`peer.service`, `db.system` with the
host, `server.address`, `net.peer.name`). A producer span that names its broker calls the broker: it lasts as
long as the publish, while its consumers run later, on their own time. A server span's own time is its duration minus the time its
service spends waiting on outgoing calls (children of other services included, parallel calls counted once):
what is left is the service's own work, so a slow dependency shows in its own time and not in its callers'.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from functions._platform.domains.traces.source.models import (
    INCOMING,
    OUTGOING,
    Trace,
    TraceSpan,
    covered,
)


@dataclass(frozen=True)
class Call:
    trace_id: str
    caller: str
    callee: str
    start: float
    duration: float  # as the caller saw it (the client span)
    callee_time: float  # the callee's own time; the whole call when the callee is not traced
    gap: float | None  # client minus server duration: network, queueing, connection; None when not traced
    error: bool
    callee_fault: bool  # the error starts in the callee, not in a call it made itself
    traced: bool


@dataclass(frozen=True)
class Entry:
    """A service handling a request: its server span's duration and own time."""

    trace_id: str
    service: str
    start: float
    duration: float
    own_time: float
    error: bool


class SpanTree:
    def __init__(self, trace: Trace):
        self.spans = trace.spans
        self.children: dict[str, list[TraceSpan]] = defaultdict(list)
        for span in trace.spans:
            if span.parent_id:
                self.children[span.parent_id].append(span)

    def waits(self, entry: TraceSpan) -> list[TraceSpan]:
        """The spans under `entry` where its service waits: outgoing calls and spans of other services."""
        found, stack = [], list(self.children.get(entry.span_id, ()))
        while stack:
            span = stack.pop()
            if span.kind in OUTGOING or span.service != entry.service:
                found.append(span)
            else:
                stack.extend(self.children.get(span.span_id, ()))
        return found

    def own_time(self, entry: TraceSpan) -> float:
        waits = [(span.start, span.end) for span in self.waits(entry)]
        return max(entry.duration - covered(waits, entry.start, entry.end), 0.0)

    def fault_below(self, entry: TraceSpan) -> bool:
        """Whether a call the service made while handling `entry` failed (its error came from there)."""
        return any(span.error for span in self.waits(entry))


def calls_and_entries(traces: Iterable[Trace]) -> tuple[list[Call], list[Entry]]:
    calls: list[Call] = []
    entries: list[Entry] = []
    for trace in traces:
        tree = SpanTree(trace)
        for span in trace.spans:
            if span.kind in INCOMING:
                entries.append(Entry(trace.trace_id, span.service, span.start, span.duration,
                                     tree.own_time(span), span.error))
            if span.kind not in OUTGOING:
                continue
            server = None if span.kind == "producer" and span.peer() else next(
                (child for child in tree.children.get(span.span_id, ())
                 if child.kind in INCOMING and child.service != span.service), None)
            if server is not None:
                fault = (span.error or server.error) and not tree.fault_below(server)
                calls.append(Call(trace.trace_id, span.service, server.service, span.start, span.duration,
                                  tree.own_time(server), max(span.duration - server.duration, 0.0),
                                  span.error or server.error, fault, True))
            elif (peer := span.peer()) and peer != span.service:
                calls.append(Call(trace.trace_id, span.service, peer, span.start, span.duration, span.duration,
                                  None, span.error, span.error, False))
    return calls, entries


def edges(calls: Iterable[Call]) -> dict[tuple[str, str], list[Call]]:
    """Calls by (caller, callee), each edge's calls in time order."""
    grouped: dict[tuple[str, str], list[Call]] = defaultdict(list)
    for call in calls:
        grouped[(call.caller, call.callee)].append(call)
    return {edge: sorted(found, key=lambda c: c.start) for edge, found in sorted(grouped.items())}


def edge_table(traces: Iterable[Trace]) -> list[dict]:
    """Per edge: calls, errors, median and p95 call latency and the callee's median own time (for the tools)."""
    calls, _ = calls_and_entries(traces)
    rows = []
    for (caller, callee), found in edges(calls).items():
        durations = sorted(c.duration for c in found)
        own = sorted(c.callee_time for c in found)
        rows.append({"caller": caller, "callee": callee, "calls": len(found),
                     "errors": sum(c.error for c in found), "traced_callee": found[0].traced,
                     "latency_p50_s": round(quantile(durations, 0.5), 6),
                     "latency_p95_s": round(quantile(durations, 0.95), 6),
                     "callee_own_time_p50_s": round(quantile(own, 0.5), 6)})
    return rows


def quantile(ordered: list[float], q: float) -> float:
    """Linear-interpolated quantile of sorted values; 0 for none."""
    if not ordered:
        return 0.0
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
