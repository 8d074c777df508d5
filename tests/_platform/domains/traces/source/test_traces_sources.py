"""The three providers read the same traces: OTLP/JSON files, Tempo's HTTP API and Jaeger's query API."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from support.traces import jaeger, jaeger_query, tempo
from support.traces_scenario import WINDOW, TracesScenario, write_otlp

from functions._platform.config import Settings
from functions._platform.domains.traces.analyzers.calls import calls_and_entries
from functions._platform.domains.traces.source import Trace, TracesSourceError, open_traces_provider

START, END = WINDOW.start.timestamp(), WINDOW.end.timestamp()


def search(settings: Settings, service: str | None = "payments") -> tuple[list[Trace], Trace | None]:
    async def run() -> tuple[list[Trace], Trace | None]:
        provider = open_traces_provider(settings)
        assert provider is not None
        try:
            found = await provider.search(service, START, END)
            return found, await provider.trace(found[0].trace_id)
        finally:
            await provider.aclose()

    return asyncio.run(run())


def shape(traces: list[Trace]) -> list[tuple]:
    return [(s.trace_id, s.span_id, s.parent_id, s.service, s.kind, round(s.start, 6), round(s.end, 6), s.error)
            for trace in traces for s in trace.spans]


def test_otlp_file_spans_keep_ids_kinds_times_and_peer(scenario: TracesScenario, otlp_file: Path) -> None:
    found, one = search(Settings(traces_files=str(otlp_file)))
    assert len(found) == 20  # a trace every 30 s over the 10-minute window
    assert one is not None and [s.service for s in one.spans] == [
        "frontend", "frontend", "checkout", "checkout", "payments", "payments"]
    assert {s.kind for s in one.spans} == {"server", "client"}
    database = one.spans[-1]
    assert database.peer() == "postgres/payments-db"
    calls, entries = calls_and_entries([one])
    assert [(c.caller, c.callee, c.traced) for c in calls] == [
        ("frontend", "checkout", True), ("checkout", "payments", True), ("payments", "postgres/payments-db", False)]
    payments = next(e for e in entries if e.service == "payments")
    assert payments.own_time == pytest.approx(payments.duration - 0.005, abs=1e-6)  # minus its database call


def test_json_lines_and_globs_read_the_same_spans(scenario: TracesScenario, tmp_path: Path) -> None:
    (tmp_path / "lines").mkdir()
    whole = write_otlp(scenario.spans, tmp_path / "traces.json")
    write_otlp(scenario.spans, tmp_path / "lines" / "traces.jsonl", lines=True)
    assert shape(search(Settings(traces_files=str(whole)))[0]) == shape(
        search(Settings(traces_files=str(tmp_path / "lines" / "*.jsonl")))[0])
    assert shape(search(Settings(traces_files=str(tmp_path / "lines")))[0]) == shape(
        search(Settings(traces_files=str(whole)))[0])  # a directory: its JSON files


def test_tempo_api_search_then_each_trace(scenario: TracesScenario, otlp_file: Path) -> None:
    with tempo(scenario.spans) as (url, requests):
        found, one = search(Settings(tempo_url=url))
    assert one is not None and one.trace_id == found[0].trace_id
    assert shape(found) == shape(search(Settings(traces_files=str(otlp_file)))[0])
    assert requests[0].startswith("/api/search?") and "tags=service.name%3Dpayments" in requests[0]
    assert f"start={int(START)}" in requests[0]
    assert sum(r.startswith("/api/traces/") for r in requests) == 21  # twenty found, then one asked for


def test_jaeger_api_in_microseconds(scenario: TracesScenario, otlp_file: Path) -> None:
    with jaeger_query(scenario.spans) as (url, requests):
        found, one = search(Settings(jaeger_url=url))
        everything, _ = search(Settings(jaeger_url=url), service=None)
    assert shape(found) == shape(search(Settings(traces_files=str(otlp_file)))[0])
    assert f"start={int(START * 1e6)}" in requests[0]
    assert one is not None and one.trace_id == found[0].trace_id
    assert shape(everything) == shape(found)  # every trace of the path touches payments
    assert "/api/services" in requests


def test_jaeger_json_file(scenario: TracesScenario, tmp_path: Path, otlp_file: Path) -> None:
    path = tmp_path / "jaeger.json"
    path.write_text(json.dumps(jaeger(scenario.spans)))
    assert shape(search(Settings(traces_files=str(path)))[0]) == shape(
        search(Settings(traces_files=str(otlp_file)))[0])


def test_unreadable_sources_say_where(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(TracesSourceError, match="bad.json"):
        open_traces_provider(Settings(traces_files=str(bad)))
    with pytest.raises(TracesSourceError, match="tempo http://127.0.0.1:9"):
        search(Settings(tempo_url="http://127.0.0.1:9"))
