"""log_error_class: a service's log lines state a known kind of failure (refused or timed-out connections, DNS,
TLS, authentication, out of memory, config or syntax errors, "can't connect" in its many phrasings), classified
by the error vocabulary over drain3 templates. The peer a line names (host:port) is the failing dependency."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action, action_per
from functions._platform.domains.logs.analyzers.evidence import sample_lines
from functions._platform.domains.logs.analyzers.vocabulary import (
    Classified,
    classify_lines,
    refusing_protocol,
)
from functions._platform.domains.logs.analyzers.windows import by_service, split_windows
from functions._platform.domains.logs.source.record import LogRecord
from sreo_events.models import Finding

MIN_LINES = 2  # one stray line is not a pattern
MAX_PER_SERVICE = 4
MAX_LINES = 5000  # newest lines of a service classified per window
CHRONIC_RATE = 0.5  # the baseline already showed at least half the window's rate: not new


LOG_ERROR_CLASS = FindingKind(
    name="log_error_class", domain="logs",
    actions=(
        action("log-cause", "{subject} logs say: {category_text}{named_text}; {log_advice}", None, "low"),
        action_per("target", "check-peer", "Check {target}, which {subject} cannot reach: its endpoints, DNS name and port",
                   "kubectl get endpoints -n {namespace} {target_host} -o wide", "low"),
    ),
)


class ErrorClassAnalyzer:
    kind = "log_error_class"
    kinds = (LOG_ERROR_CLASS,)

    def analyze(self, data: Sequence[LogRecord], context: AnalysisContext) -> list[Finding]:
        baseline, incident = split_windows(data, context)
        baseline_by_service = by_service(baseline)
        findings: list[Finding] = []
        for service, records in sorted(by_service(incident).items()):
            history = baseline_by_service.get(service, [])[-MAX_LINES:]
            records = records[-MAX_LINES:]
            classes = classify_lines([r.message for r in history + records])
            before = Counter(c.error.category for c in classes[:len(history)] if c)
            first_before: dict[str, LogRecord] = {}
            for record, classified in zip(history, classes[:len(history)], strict=True):
                if classified:
                    first_before.setdefault(classified.error.category, record)
            now: dict[str, list[tuple[LogRecord, Classified]]] = {}
            for record, classified in zip(records, classes[len(history):], strict=True):
                if classified:
                    now.setdefault(classified.error.category, []).append((record, classified))
            ranked = sorted(now.items(), key=lambda item: (-item[1][0][1].error.score, -len(item[1]), item[0]))
            findings += [self._finding(service, category, hits, before[category], context, first_before.get(category))
                         for category, hits in ranked if len(hits) >= MIN_LINES][:MAX_PER_SERVICE]
        return findings

    def _finding(self, service: str, category: str, hits: list[tuple[LogRecord, Classified]], baseline: int,
                 context: AnalysisContext, first_before: LogRecord | None = None) -> Finding:
        error = hits[0][1].error
        rate = len(hits) / context.window_minutes
        base_rate = baseline / context.baseline_minutes
        chronic = base_rate >= CHRONIC_RATE * rate
        peers = Counter(c.peer for _, c in hits if c.peer)
        env_vars = Counter(c.env_var for _, c in hits if c.env_var)
        named = next(iter(env_vars or peers), None)
        score = error.score * (0.5 if chronic else 1.0) * min(1.0, 0.6 + 0.04 * len(hits))
        evidence = {"category": category, "lines": len(hits), "baseline_lines": baseline,
                    "templates": dict(Counter(c.template[:200] for _, c in hits).most_common(3)),
                    "sample": sample_lines([r for r, _ in hits], 3)}
        if peers:
            evidence["target"] = dict(peers.most_common(5))
        if env_vars:
            evidence["env_var"] = dict(env_vars.most_common(5))
        protocols = Counter(p for r, _ in hits if (p := refusing_protocol(r.message)))
        if protocols:  # the server that refused names no host: the twin finds the caller's server of this protocol
            evidence["protocol"] = protocols.most_common(1)[0][0]
        return context.finding(
            kind=self.kind, subject=service, severity="info" if chronic else "critical" if len(hits) >= 10
            else "warning", score=round(score, 3),
            summary=f"{service} logs: {error.describes}{f' ({named})' if named else ''} in {len(hits)} line(s)"
                    + (f", {baseline} in the baseline" if baseline else ", none in the baseline"),
            # a class that was already as frequent before began before the window: its first line there dates it
            onset=first_before.timestamp if chronic and first_before else hits[0][0].timestamp, evidence=evidence,
        )
