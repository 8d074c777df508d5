"""Per-edge timing from spans separates the slow dependency (payments) from its waiting callers."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from support.traces import Timings
from support.traces_scenario import WINDOW, TracesScenario, make_spans, write_otlp

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.runner import run
from functions._platform.config import Settings
from functions._platform.domains.traces.analyzers.edge_degraded import judge
from functions._platform.domains.traces.source import Trace, TraceSpan, open_traces_provider
from functions.correlate.finding_links import named_dependencies
from sreo_events.models import TimeWindow


def traces_of(path: Path, window: TimeWindow = WINDOW) -> list[Trace]:
    context = AnalysisContext.around("traces", window)

    async def fetch() -> list[Trace]:
        provider = open_traces_provider(Settings(traces_files=str(path)))
        assert provider is not None
        return await provider.search(None, context.baseline_s[0], context.window_s[1], limit=10_000)

    return asyncio.run(fetch())


def test_the_finding_is_on_payments_not_on_its_waiting_callers(otlp_file: Path,
                                                                 scenario: TracesScenario) -> None:
    context = AnalysisContext.around("traces", WINDOW, query="search_traces()")
    findings = run("traces", traces_of(otlp_file), context)
    causes = [f for f in findings if f.severity != "info"]
    assert [(f.kind, f.subject) for f in causes] == [("trace_edge_degraded", "payments")]
    cause = causes[0]
    assert cause.onset is not None and 0 <= (cause.onset - scenario.slow_from).total_seconds() < 1
    assert cause.severity == "critical" and cause.query == "search_traces()"
    evidence = cause.evidence
    assert evidence["client"] == "checkout" and evidence["server"] == "payments"
    assert evidence["callee_own_time_baseline_seconds"] < 0.05
    assert evidence["callee_own_time_window_seconds"] > 0.35
    # checkout's own time stayed flat while its calls to payments got slower
    assert evidence["client_own_time_window_seconds"] < 1.5 * evidence["client_own_time_baseline_seconds"]
    assert evidence["call_latency_window_seconds"] > 5 * evidence["call_latency_baseline_seconds"]
    assert len(evidence["exemplar_traces"].split(", ")) == 3
    assert "payments itself is slow" in cause.summary
    companions = {(f.subject, f.evidence["dependency"]) for f in findings if f.severity == "info"}
    assert companions == {("frontend", "checkout"), ("checkout", "payments")}
    assert {dep for f in findings for dep in named_dependencies(f)} == {"checkout", "payments"}
    assert not any(f.subject in ("frontend", "checkout") and f.severity != "info" for f in findings)


def test_same_inputs_same_findings(otlp_file: Path) -> None:
    context = AnalysisContext.around("traces", WINDOW)
    traces = traces_of(otlp_file)
    assert [f.model_dump() for f in run("traces", traces, context)] == [
        f.model_dump() for f in run("traces", traces, context)]


def test_failures_starting_in_payments_are_on_payments(tmp_path: Path) -> None:
    path = write_otlp(make_spans(errors=True), tmp_path / "errors.json")
    findings = judge(traces_of(path), AnalysisContext.around("traces", WINDOW)).findings
    cause = next(f for f in findings if f.subject == "payments")
    assert cause.evidence["failures_degraded"] and cause.evidence["failure_ratio_window"] == 1.0
    assert not any(f.subject == "checkout" and f.severity != "info" for f in findings)


def test_healthy_edges_are_checked(tmp_path: Path) -> None:
    before = TimeWindow(start=WINDOW.start - timedelta(minutes=10), end=WINDOW.start)
    path = write_otlp(make_spans(history_min=80), tmp_path / "t.json")
    verdict = judge(traces_of(path, before), AnalysisContext.around("traces", before))
    assert verdict.findings == []
    assert any(line.startswith("checkout -> payments: call latency and failures at baseline")
               for line in verdict.checked)


def test_too_little_history_is_said_so(tmp_path: Path) -> None:
    path = write_otlp(make_spans(history_min=1), tmp_path / "short.json")
    verdict = judge(traces_of(path), AnalysisContext.around("traces", WINDOW))
    assert verdict.findings == []
    assert any(line.startswith("checkout -> payments: not enough history to judge") for line in verdict.unjudged)


def causes(tmp_path: Path, slow: Timings) -> list:
    path = write_otlp(make_spans(slow=slow), tmp_path / "traces.json")
    return [f for f in judge(traces_of(path), AnalysisContext.around("traces", WINDOW)).findings
            if f.severity != "info"]


def test_a_slow_untraced_database_is_on_the_database(tmp_path: Path) -> None:
    (cause,) = causes(tmp_path, Timings(database=0.3))
    assert (cause.kind, cause.subject) == ("trace_edge_degraded", "postgres/payments-db")
    assert cause.evidence["client"] == "payments" and not cause.evidence["traced_callee"]
    assert "not traced" in cause.summary


def test_a_slow_network_to_payments_is_on_the_edge_to_payments(tmp_path: Path) -> None:
    (cause,) = causes(tmp_path, Timings(gap=0.2))
    assert cause.subject == "payments" and "the network or connection between them" in cause.summary
    assert cause.evidence["callee_own_time_window_seconds"] < 0.05  # payments' own time stayed flat
    assert cause.evidence["gap_window_seconds"] > 0.3


def test_a_root_service_slow_in_itself_is_its_own_time(tmp_path: Path) -> None:
    (cause,) = causes(tmp_path, Timings(frontend_own=0.3))
    assert (cause.kind, cause.subject) == ("trace_own_time_rise", "frontend")
    assert cause.evidence["own_time_window_seconds"] > 0.25


def publish_trace(index: int, start: float, publish_s: float) -> Trace:
    """checkout publishes to Kafka; fulfillment consumes the message later, in the same trace."""
    ids = [f"{index + 1:08x}{n:08x}" for n in range(3)]
    kafka = {"messaging.system": "kafka", "messaging.destination.name": "order-events",
             "server.address": "kafka.shop.svc.cluster.local"}
    sent = start + 0.005 + publish_s
    return Trace(f"{index + 1:032x}", [
        TraceSpan(f"{index + 1:032x}", ids[0], "", "checkout", "POST /submit", "server", start, sent + 0.005),
        TraceSpan(f"{index + 1:032x}", ids[1], ids[0], "checkout", "order-events publish", "producer",
                  start + 0.005, sent, attributes=kafka),
        TraceSpan(f"{index + 1:032x}", ids[2], ids[1], "fulfillment", "order-events process", "consumer",
                  sent + 0.02, sent + 0.05),
    ])


def test_a_slow_publish_is_on_the_broker_not_on_the_consumer_that_runs_later() -> None:
    first = (WINDOW.start - timedelta(minutes=40)).timestamp()
    slow_from = (WINDOW.start + timedelta(minutes=2)).timestamp()
    traces = [publish_trace(n, first + 30 * n, 0.3 if first + 30 * n >= slow_from else 0.003)
              for n in range(100)]
    findings = judge(traces, AnalysisContext.around("traces", WINDOW)).findings
    (cause,) = [f for f in findings if f.severity != "info"]
    assert (cause.subject, cause.evidence["client"], cause.evidence["traced_callee"]) == ("kafka", "checkout", False)
