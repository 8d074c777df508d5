"""Graph from trace spans: an edge per caller -> callee seen in the spans (a client span and its server child,
or the peer a client span names when the callee is not traced), read through the traces provider (Tempo,
Jaeger or OTLP/JSON files). The service-graph *metrics* builder is `topology/builders/traces.py`."""

from __future__ import annotations

import time
from collections.abc import Iterable

from functions._platform.domains.traces.analyzers.calls import edge_table
from functions._platform.domains.traces.source.models import Trace
from functions._platform.topology.builders.contract import TopologyInputs, TopologySourceError
from functions._platform.topology.builders.traces import run_coroutine
from functions._platform.topology.graph import Graph, NodeKind

SOURCE = "trace_spans"
MAX_TRACES = 5000


def node_kind(name: str) -> NodeKind:
    if name.startswith("external/"):
        return "external"
    return "database" if "/" in name else "service"


def graph_from_spans(traces: Iterable[Trace]) -> Graph:
    """The spans part of the twin, as a pure function of the traces."""
    graph = Graph()
    for row in edge_table(traces):
        caller, callee = row["caller"], row["callee"]
        graph.add_node(caller, "service", {}, (), SOURCE)
        graph.add_node(callee, node_kind(callee), {}, [callee.split("/", 1)[1]] if "/" in callee else [], SOURCE)
        graph.add_edge(caller, callee, "calls", SOURCE, {
            "calls": row["calls"], "errors": row["errors"], "latency_p50_s": row["latency_p50_s"],
            "traced_callee": row["traced_callee"]})
    return graph


async def fetch_traces(inputs: TopologyInputs, start: float, end: float) -> list[Trace]:
    from functions._platform.domains.traces.source.provider import open_traces_provider

    provider = open_traces_provider(inputs)
    if provider is None:
        return []
    try:
        return await provider.search(None, start, end, MAX_TRACES)
    finally:
        await provider.aclose()


class SpansBuilder:
    source = SOURCE

    def configured(self, inputs: TopologyInputs) -> bool:
        return bool(inputs.tempo_url or inputs.jaeger_url or inputs.traces_files)

    def collect(self, inputs: TopologyInputs) -> Graph:
        live = bool(inputs.tempo_url or inputs.jaeger_url)
        end = inputs.traces_until.timestamp() if inputs.traces_until else time.time()
        # an offline file's edges count whatever its age, unless a window end was given
        start = end - inputs.traces_lookback_s if live or inputs.traces_until else 0.0
        end = end if live or inputs.traces_until else float("inf")
        where = inputs.tempo_url or inputs.jaeger_url or inputs.traces_files
        try:
            traces = run_coroutine(fetch_traces(inputs, start, end))
        except Exception as exc:  # any failure of the source is reported as the source's error
            raise TopologySourceError(f"{SOURCE}: {where}: {type(exc).__name__}: {exc}") from exc
        return graph_from_spans(traces)
