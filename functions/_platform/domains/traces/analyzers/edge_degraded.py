"""trace_edge_degraded: calls from one service to another got slower or fail more, judged from spans.

Per edge (caller -> callee) the call latency (the client span) and the failing share of calls in the window
are compared with the baseline. Time is split where it is spent: the callee's own time (its server span minus
the calls it makes itself), the gap between the client and the server span (network, queueing, connection
pool) and the callee's own calls. A finding is on the callee when its own time rose, when the gap rose, or
when it is not traced (the client span is all there is); a companion on the caller names it as its
`dependency`, so the ranking hands the caller's blame down. A callee whose time went into its own calls is a
waiting caller itself: only the companion names it, and its own slow edge carries the finding further down.
`trace_own_time_rise` is a service whose own time rose while no caller's edge already says so (e.g. the root).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import GENERIC, FindingKind, action
from functions._platform.domains.traces.analyzers.calls import Call, Entry, calls_and_entries, edges
from functions._platform.domains.traces.analyzers.change import (
    MIN_CALLS,
    Shift,
    TracesScope,
    factor,
    failure_shift,
    latency_shift,
)
from functions._platform.domains.traces.source.models import Trace
from sreo_events.models import Finding

COMPANION_SCORE = 0.3  # the caller's own symptom is seen elsewhere; this finding only names the dependency
EXEMPLARS = 3

TRACE_EDGE_DEGRADED = FindingKind(
    name="trace_edge_degraded", domain="traces",
    actions=(
        action("open-traces", "Open the slowest traces of {client} -> {server} ({exemplar_traces}) and compare "
               "{server}'s own time with what {client} sees, then the network and connection pool between them",
               None, "low"),
    ),
    mitigation=(("Look at the callee's own time in the exemplar traces; if only the gap between caller and "
                 "callee moved, check the network, DNS and connection pool between them."),
                "Callers slow down or fail with the edge; retries can amplify the load."),
    runbook_alerts=("LatencySLOBurn", "HighErrorRate"),
)
TRACE_OWN_TIME_RISE = FindingKind(name="trace_own_time_rise", domain="traces", actions=GENERIC,
                                  runbook_alerts=("LatencySLOBurn",))


@dataclass
class TracesVerdict:
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    unjudged: list[str] = field(default_factory=list)


def iso(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _split(items: list, start: float, end: float) -> list:
    return [item for item in items if start <= item.start < end]


def judge(traces: Iterable[Trace], context: AnalysisContext) -> TracesVerdict:
    """Findings, the edges checked and healthy, and those with too little history to judge."""
    scope = context.scope if isinstance(context.scope, TracesScope) else TracesScope()
    calls, entries = calls_and_entries(traces)
    verdict = TracesVerdict()
    blamed: set[str] = set()
    for (caller, callee), found in edges(calls).items():
        _judge_edge(caller, callee, found, entries, context, scope, verdict, blamed)
    for service in sorted({entry.service for entry in entries} - blamed):
        _judge_own_time(service, [e for e in entries if e.service == service], context, scope, verdict)
    return verdict


def _series(items: list, attribute: str, context: AnalysisContext) -> tuple[list, list[tuple[float, float]]]:
    base = [(item.start, getattr(item, attribute)) for item in _split(items, *context.baseline_s)]
    window = [(item.start, getattr(item, attribute)) for item in _split(items, *context.window_s)]
    return base, window


def _has_history(name: str, base_calls: list[Call], window_calls: list[Call], context: AnalysisContext,
                 verdict: TracesVerdict) -> bool:
    """Enough calls in the window and in the baseline to judge the edge (too short a history is noted)."""
    if len(window_calls) < MIN_CALLS:
        return False
    if len(base_calls) < MIN_CALLS:
        verdict.unjudged.append(f"{name}: not enough history to judge (trace_edge_degraded): {len(base_calls)} "
                                f"calls in the baseline from {iso(context.baseline_s[0]):%Y-%m-%d %H:%M} UTC, "
                                f"{MIN_CALLS} needed")
        return False
    return True


def _time_split(caller: str, found: list[Call], entries: list[Entry], context: AnalysisContext,
                scope: TracesScope) -> tuple[Shift | None, Shift | None, Shift | None]:
    """Shifts of the callee's own time, of the client-server gap and of the caller's own time."""
    own = latency_shift(*_series(found, "callee_time", context), scope)
    gaps = [c for c in found if c.gap is not None]
    gap = latency_shift(*_series(gaps, "gap", context), scope) if gaps else None
    caller_own = latency_shift(*_series([e for e in entries if e.service == caller], "own_time", context), scope)
    return own, gap, caller_own


def _callee_faults(since: list[Call]) -> bool:
    """At least half the failed calls since the onset are the callee's fault (and at least one)."""
    return sum(c.callee_fault for c in since if c.error) >= max(1, sum(c.error for c in since) / 2)


def _failure_ratios(failures: Shift | None) -> dict[str, float | None]:
    return {"failure_ratio_baseline": round(failures.baseline, 5) if failures else None,
            "failure_ratio_window": round(failures.window, 5) if failures else None}


def _call_counts(base_calls: list[Call], window_calls: list[Call]) -> dict[str, int]:
    return {"calls_baseline": len(base_calls), "calls_window": len(window_calls),
            "failed_window": sum(c.error for c in window_calls)}


def _exemplars(since: list[Call]) -> str:
    """The slowest calls' trace ids."""
    return ", ".join(c.trace_id for c in sorted(since, key=lambda c: -c.duration)[:EXEMPLARS])


def _judge_edge(caller: str, callee: str, found: list[Call], entries: list[Entry], context: AnalysisContext,
                scope: TracesScope, verdict: TracesVerdict, blamed: set[str]) -> None:
    name = f"{caller} -> {callee}"
    base_calls, window_calls = _split(found, *context.baseline_s), _split(found, *context.window_s)
    if not _has_history(name, base_calls, window_calls, context, verdict):
        return
    latency = latency_shift(*_series(found, "duration", context), scope)
    failures = failure_shift([(c.start, c.error) for c in base_calls], [(c.start, c.error) for c in window_calls],
                             scope)
    slower, failing = _rose(latency), _rose(failures)
    if not slower and not failing:
        verdict.checked.append(f"{name}: call latency and failures at baseline ({len(window_calls)} calls)")
        return
    onset = min(s.onset for s in (latency, failures) if s is not None and s.onset is not None)
    own, gap, caller_own = _time_split(caller, found, entries, context, scope)
    traced = window_calls[-1].traced
    since = [c for c in window_calls if c.start >= onset]
    at_callee = (slower and (not traced or _rose(own) or _rose(gap))) or (failing and _callee_faults(since))
    evidence = {"client": caller, "server": callee, "traced_callee": traced,
                **_pair("call_latency", latency), **_pair("callee_own_time", own), **_pair("gap", gap),
                **_pair("client_own_time", caller_own), **_failure_ratios(failures),
                **_call_counts(base_calls, window_calls),
                "latency_degraded": slower, "failures_degraded": failing,
                "exemplar_traces": _exemplars(since)}
    query = context.query
    if at_callee:
        blamed.add(callee)
        slow_shift, failing_shift = (latency if slower else None), (failures if failing else None)
        severity, score = _grade(slow_shift, failing_shift)
        verdict.findings.append(context.finding(
            kind="trace_edge_degraded", subject=callee, severity=severity, score=score, onset=iso(onset),
            summary=_summary(caller, callee, slow_shift, failing_shift, own, gap, traced),
            evidence=evidence, query=query))
    waits = "" if at_callee else f"; {callee}'s own time stayed flat: it waits on its own calls"
    verdict.findings.append(context.finding(
        kind="trace_edge_degraded", subject=caller, severity="info", score=COMPANION_SCORE, onset=iso(onset),
        summary=f"{caller}: its calls to {callee} degraded since {iso(onset):%H:%M} UTC{waits}",
        evidence={"dependency": callee, "client": caller, "server": callee, "role": "client",
                  **_pair("call_latency", latency), **_pair("client_own_time", caller_own)}, query=query))


def _judge_own_time(service: str, found: list[Entry], context: AnalysisContext, scope: TracesScope,
                    verdict: TracesVerdict) -> None:
    own = latency_shift(*_series(found, "own_time", context), scope)
    if own is None or own.onset is None:
        return
    severity, score = _grade(own, None)
    verdict.findings.append(context.finding(
        kind="trace_own_time_rise", subject=service, severity=severity, score=score, onset=iso(own.onset),
        summary=(f"{service}: its own time per request (server span minus its calls) rose, median "
                 f"{own.baseline * 1000:.0f} ms -> {own.window * 1000:.0f} ms"),
        evidence={**_pair("own_time", own), "requests_window": len(_split(found, *context.window_s))},
        query=context.query))


def _rose(shift: Shift | None) -> bool:
    return shift is not None and shift.onset is not None


def _pair(name: str, shift: Shift | None) -> dict[str, float | None]:
    return {f"{name}_baseline_seconds": round(shift.baseline, 6) if shift else None,
            f"{name}_window_seconds": round(shift.window, 6) if shift else None}


def _grade(latency: Shift | None, failures: Shift | None) -> tuple[str, float]:
    """Severity and score; a warning scores at least 0.5 so the callee counts as anomalous in the ranking."""
    severity, score = "warning", 0.5
    if latency is not None:
        ratio = factor(latency)
        score = max(score, 0.5 + 0.5 * min(1.0, math.log2(max(min(ratio, 64.0), 1.0)) / 3))
        severity = "critical" if ratio >= 3 else severity
    if failures is not None:
        score = max(score, 0.5 + 0.5 * min(1.0, failures.window / 0.25))
        severity = "critical" if failures.window >= 0.1 else severity
    return severity, round(min(score, 1.0), 3)


def _summary(caller: str, callee: str, latency: Shift | None, failures: Shift | None, own: Shift | None,
             gap: Shift | None, traced: bool) -> str:
    parts = []
    if latency is not None:
        parts.append(f"calls from {caller} got slower, median {latency.baseline * 1000:.0f} ms -> "
                     f"{latency.window * 1000:.0f} ms")
    if failures is not None:
        parts.append(f"{'and ' if parts else 'calls from ' + caller + ' '}fail {failures.window:.1%} against "
                     f"{failures.baseline:.1%}")
    text = f"{callee}: " + ", ".join(parts)
    if not traced:
        return text + f" ({callee} is not traced: the client span is all there is)"
    possessive = f"{callee}'" if callee.endswith("s") else f"{callee}'s"
    if _rose(own):
        return text + (f", and {possessive} own time rose, {own.baseline * 1000:.0f} ms -> "  # type: ignore[union-attr]
                       f"{own.window * 1000:.0f} ms: {callee} itself is slow")  # type: ignore[union-attr]
    if _rose(gap):
        return text + f", while {possessive} own time stayed flat: the network or connection between them"
    return text


class TraceEdgeDegraded:
    kind = "trace_edge_degraded"
    kinds = (TRACE_EDGE_DEGRADED, TRACE_OWN_TIME_RISE)
    healthy_text = "calls between services keep their baseline latency and failure share"

    def analyze(self, inputs: Iterable[Trace], context: AnalysisContext) -> list[Finding]:
        return judge(inputs, context).findings
