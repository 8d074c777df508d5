"""log_latency: durations a service writes in its log text ("took 8.01 s", "completed in 812ms",
"Database call completed in 8.01 seconds") are latency samples; their median in the window against the
baseline's, robust to scale (median and MAD), gives a robust z like a metric's.

A duration logged around a call to a named peer (`GET http://pricing:8080/quote took 7.9 s`) is that peer's
latency as its clients see it (a client-side span): when it rose, the peer gets a finding of its own, naming the
callers that saw it, so a dependency that logs nothing itself is still seen."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import median

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.logs.analyzers.evidence import sample_lines
from functions._platform.domains.logs.analyzers.vocabulary import duration_seconds, peer_of
from functions._platform.domains.logs.analyzers.windows import by_service, split_windows
from functions._platform.domains.logs.source.record import LogRecord
from sreo_events.models import Finding

MIN_SAMPLES = 3
MIN_Z = 3.0
MIN_RISE_S = 0.1  # a rise below 100 ms is noise for a duration written in a log line
SLOW_WITHOUT_BASELINE_S = 2.0  # with no history, a typical duration this long is itself the anomaly
MAD_SCALE = 1.4826


def peer_name(target: str) -> str | None:
    """`pricing:8080` or `pricing.shop.svc.cluster.local` -> `pricing`; addresses name no component."""
    host = target.split(":", 1)[0]
    return None if host.replace(".", "").isdigit() else host.split(".", 1)[0]


def _samples(records: list[LogRecord]) -> list[tuple[LogRecord, float]]:
    return [(r, seconds) for r in records if (seconds := duration_seconds(r.message)) is not None]


LOG_LATENCY = FindingKind(
    name="log_latency", domain="logs",
    actions=(
        action("slow-lines", "Read {subject}'s slow log lines: they name what it waits on", None, "low"),
    ),
)


class LogLatencyAnalyzer:
    kind = "log_latency"
    kinds = (LOG_LATENCY,)

    def analyze(self, data: Sequence[LogRecord], context: AnalysisContext) -> list[Finding]:
        baseline, incident = split_windows(data, context)
        baseline_by_service = by_service(baseline)
        findings = []
        for service, records in sorted(by_service(incident).items()):
            finding = self._judge(service, _samples(records), _samples(baseline_by_service.get(service, [])),
                                  context)
            if finding:
                findings.append(finding)
        return findings + self._peers(findings, incident, baseline, context)

    def _peers(self, callers: list[Finding], incident: list[LogRecord], baseline: list[LogRecord],
               context: AnalysisContext) -> list[Finding]:
        """The peers slow callers name, judged on the samples of lines naming them, whoever logged them."""
        named = sorted({peer for f in callers for target in f.evidence.get("target", {})
                        if (peer := peer_name(target)) and peer not in {c.subject for c in callers}})
        found = []
        for peer in named:
            def about(records: list[LogRecord], peer: str = peer) -> list[tuple[LogRecord, float]]:
                return [(r, s) for r, s in _samples(records) if (t := peer_of(r.message)) and peer_name(t) == peer]
            finding = self._judge(peer, about(incident), about(baseline), context)
            if finding:
                seen_by = sorted({r.service for r in incident if (t := peer_of(r.message)) and peer_name(t) == peer})
                finding.evidence.pop("target", None)
                finding.evidence["seen_by"] = seen_by
                found.append(finding.model_copy(update={
                    "summary": f"{peer}: calls to it, as {', '.join(seen_by)} log them, take a median "
                               f"{finding.evidence['median_s']:.3g} s" + (
                                   f" against {finding.evidence['baseline_median_s']:.3g} s before"
                                   if finding.evidence["baseline_median_s"] is not None else "")}))
        return found

    def _judge(self, service: str, now: list[tuple[LogRecord, float]], before_samples: list[tuple[LogRecord, float]],
               context: AnalysisContext) -> Finding | None:
        before = [seconds for _, seconds in before_samples]
        if len(now) < MIN_SAMPLES:
            return None
        current = median(seconds for _, seconds in now)
        slowdown = _slowdown(current, before)
        if slowdown is None:
            return None
        usual, robust_z = slowdown
        slow = [(r, s) for r, s in now if usual is None or s > usual + MIN_RISE_S]
        peers = Counter(p for r, _ in slow if (p := peer_of(r.message)))
        evidence = {"median_s": round(current, 4), "baseline_median_s": None if usual is None else round(usual, 4),
                    "samples": len(now), "baseline_samples": len(before), "robust_z": round(robust_z, 2),
                    "sample": sample_lines([r for r, _ in slow] or [r for r, _ in now], 3)}
        if peers:
            evidence["target"] = dict(peers.most_common(3))
        return context.finding(
            kind=self.kind, subject=service, severity="critical" if robust_z >= 2 * MIN_Z else "warning",
            score=round(min(1.0, robust_z / 10), 3), onset=(slow or now)[0][0].timestamp, evidence=evidence,
            summary=f"{service}: durations in its log lines rose to a median {current:.3g} s"
                    + (f" from {usual:.3g} s" if usual is not None else " (no earlier durations)")
                    + f" over {len(now)} line(s)",
        )


def _slowdown(current: float, before: list[float]) -> tuple[float | None, float] | None:
    """(usual median or None without enough history, robust z) when `current` is slow; None when it is not."""
    if len(before) >= MIN_SAMPLES:
        usual = median(before)
        spread = max(MAD_SCALE * median(abs(s - usual) for s in before), 0.05 * usual, 1e-3)
        robust_z = (current - usual) / spread
        if robust_z < MIN_Z or current - usual < MIN_RISE_S:
            return None
        return usual, robust_z
    if current >= SLOW_WITHOUT_BASELINE_S:
        return None, MIN_Z * current / SLOW_WITHOUT_BASELINE_S
    return None
