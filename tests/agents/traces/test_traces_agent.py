"""The traces agent end to end (in-process MCP server over files), and triage asking it only where it can answer."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from support.traces import checkout_traces, tempo
from support.traces_scenario import SLOW_PAYMENTS, WINDOW, TracesScenario, make_spans, write_otlp

from functions._platform.config import Settings
from functions.agents.investigate import collect_evidence
from functions.triage.classify import classify, traces_reasons
from sreo_events.models import Alert, InvestigationRequested


def request(service: str | None) -> InvestigationRequested:
    return InvestigationRequested(incident_id="inc-1", domain="traces", service=service, window=WINDOW,
                                  deadline=WINDOW.end + timedelta(minutes=5))


def test_the_agent_finds_payments_behind_frontend(otlp_file: Path) -> None:
    evidence = collect_evidence(request("frontend"), Settings(traces_files=str(otlp_file)))
    assert evidence.status == "success", evidence.error
    causes = [f for f in evidence.findings if f.severity != "info"]
    assert [(f.kind, f.subject) for f in causes] == [("trace_edge_degraded", "payments")]
    assert causes[0].query.startswith('search_traces({"end": ')
    assert "payments -> postgres/payments-db: call latency and failures at baseline (20 calls)" in evidence.checked


def test_the_agent_reads_tempo_baseline_and_window_apart(scenario: TracesScenario) -> None:
    with tempo(scenario.spans) as (url, requests):
        evidence = collect_evidence(request("frontend"), Settings(tempo_url=url))
    assert [f.subject for f in evidence.findings if f.severity != "info"] == ["payments"]
    searches = [r for r in requests if r.startswith("/api/search?")]
    assert len(searches) == 2 and all("tags=service.name%3Dfrontend" in r for r in searches)
    assert evidence.findings[0].query.count("search_traces(") == 2


def test_too_little_history_is_unjudged(tmp_path: Path) -> None:
    path = write_otlp(make_spans(history_min=1), tmp_path / "short.json")
    evidence = collect_evidence(request(None), Settings(traces_files=str(path)))
    assert evidence.findings == [] and evidence.status == "success"
    assert any("not enough history" in item for item in evidence.unjudged)


def test_without_a_source_the_agent_has_no_data(tmp_path: Path) -> None:
    evidence = collect_evidence(request("frontend"), Settings(home=tmp_path))
    assert evidence.status == "no_data" and evidence.error == "no traces source is configured"


def test_latency_alerts_ask_traces_only_where_a_source_is_configured() -> None:
    slow = [Alert(labels={"alertname": "CheckoutLatencyHigh", "service": "frontend"})]
    reasons = classify("", slow, "frontend")
    assert traces_reasons(reasons, configured=True)["traces"] == ["alertname CheckoutLatencyHigh"]
    assert "traces" not in traces_reasons(reasons, configured=False)
    labelled = classify("", [Alert(labels={"alertname": "X", "sreo_domain": "traces"})])
    assert traces_reasons(labelled, configured=False)["traces"] == ["label domain=traces"]
    assert "traces" not in classify("pod crashloop", [])  # opt-in: never asked by default


def test_a_window_with_more_traces_than_one_search_returns_is_read_across_its_length(tmp_path: Path) -> None:
    """A trace every 0.5 s: over 1,000 in the window, and payments turns slow only in its last three minutes. The
    first 500 traces of the window all come before that; the stretches reach it."""
    first = (WINDOW.start - timedelta(minutes=30)).timestamp()
    slow_from = (WINDOW.end - timedelta(minutes=3)).timestamp()
    spans = checkout_traces(first, 40 * 60 * 2, 0.5, slow_from, SLOW_PAYMENTS)
    path = write_otlp(spans, tmp_path / "busy.json")
    evidence = collect_evidence(request("frontend"), Settings(traces_files=str(path)))
    assert [f.subject for f in evidence.findings if f.severity != "info"] == ["payments"]
    assert "over 10 equal stretches" in evidence.findings[0].query
