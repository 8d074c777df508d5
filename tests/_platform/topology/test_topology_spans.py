"""The spans builder: the twin's edges from trace spans, in OTLP/JSON files and from Tempo's HTTP API."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.traces import Span, checkout_traces, otlp, tempo

from functions._platform.config import Settings
from functions._platform.topology import TopologyInputs, TopologySourceError
from functions._platform.topology.builders.registry import BUILDERS
from functions._platform.topology.store import load_graph, refresh

END = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PATH = {("frontend", "checkout"), ("checkout", "payments"), ("payments", "postgres/payments-db")}


def spans() -> list[Span]:
    first = END.timestamp() - 1800
    found = checkout_traces(first, 30, 60.0, slow_from=float("inf"))
    found.append(Span("f" * 32, "e" * 16, "", "checkout", "GET rates", "client", first, first + 0.1, True,
                      {"server.address": "api.rates.example.com"}))
    return found


def edges_of(inputs: TopologyInputs) -> dict[tuple[str, str], dict]:
    graph = BUILDERS["trace_spans"].collect(inputs)
    return {(edge.caller, edge.callee): edge.evidence for edge in graph.edges}


def test_edges_from_an_otlp_file(tmp_path: Path) -> None:
    path = tmp_path / "traces.json"
    path.write_text(json.dumps(otlp(spans())))
    inputs = TopologyInputs.from_settings(Settings(traces_files=str(path)))
    assert BUILDERS["trace_spans"].configured(inputs)
    edges = edges_of(inputs)
    assert set(edges) == PATH | {("checkout", "external/api.rates.example.com")}
    assert edges[("checkout", "payments")]["calls"] == 30
    assert edges[("checkout", "external/api.rates.example.com")] == {
        "calls": 1, "errors": 1, "latency_p50_s": 0.1, "traced_callee": False}
    graph = BUILDERS["trace_spans"].collect(inputs)
    assert graph.nodes["postgres/payments-db"].kind == "database"
    assert graph.nodes["postgres/payments-db"].aliases == ["payments-db"]
    assert graph.nodes["external/api.rates.example.com"].kind == "external"


def test_edges_from_tempo_within_the_lookback() -> None:
    with tempo(spans()) as (url, requests):
        inputs = TopologyInputs(tempo_url=url, traces_until=END, traces_lookback_s=600)
        edges = edges_of(inputs)
    assert set(edges) == PATH
    assert edges[("frontend", "checkout")]["calls"] == 10  # one a minute over the last ten minutes
    assert requests[0].startswith("/api/search?") and "tags" not in requests[0]


def test_refresh_stores_the_spans_graph(tmp_path: Path, store) -> None:
    path = tmp_path / "traces.json"
    path.write_text(json.dumps(otlp(spans())))
    with store.session() as session:
        result = refresh(session, TopologyInputs(traces_files=str(path)), ["trace_spans"])
        assert [(o.source, o.status) for o in result.outcomes] == [("trace_spans", "ok")]
        assert PATH <= set(load_graph(session).pairs())


def test_an_unreachable_source_says_where() -> None:
    with pytest.raises(TopologySourceError, match="trace_spans: http://127.0.0.1:9"):
        BUILDERS["trace_spans"].collect(TopologyInputs(tempo_url="http://127.0.0.1:9"))
