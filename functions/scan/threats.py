"""The scheduled scan: run the logs, auth and metrics heuristics over every known service and turn their
findings into threats. Pure: reads sources, returns `ThreatDetected` payloads, emits nothing itself."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import mitigation_for
from functions._platform.analyzers.runner import run
from functions._platform.config import Settings
from functions._platform.domains.logs.analyzers.windows import from_first_line, windows_before
from functions._platform.domains.logs.source.timeparse import parse_duration
from functions._platform.redact import redact_finding
from sreo_events.models import Finding, ThreatDetected, ThreatLevel, TimeWindow

DEFAULT_SINCE = "1h"
RECORD_LIMIT = 100_000
# evidence keys that tell two threats of one kind and subject apart (the attacker, the account, the template)
DISCRIMINATORS = ("source_ip", "user", "template", "path", "endpoint")


Progress = Callable[[int, int, str], None]  # (services done, services in all, service being scanned)


@dataclass
class ScanResult:
    threats: list[ThreatDetected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    window: TimeWindow | None = None


def threat_level(finding: Finding) -> ThreatLevel:
    if finding.kind == "success_after_failures":
        return "critical"
    if finding.severity == "critical":
        return "critical" if finding.score >= 0.8 else "high"
    if finding.severity == "warning":
        return "high" if finding.score >= 0.9 else "medium"
    return "low"


def to_threat(finding: Finding, window: TimeWindow) -> ThreatDetected:
    finding = redact_finding(finding)
    mitigation, impact = mitigation_for(finding.kind)
    evidence = {"summary": finding.summary, "score": finding.score, "severity": finding.severity,
                "query": finding.query, **finding.evidence}
    if finding.baseline:
        evidence["baseline"] = {"start": finding.baseline.start.isoformat(), "end": finding.baseline.end.isoformat()}
    return ThreatDetected(kind=finding.kind, subject=finding.subject, level=threat_level(finding),
                          window=finding.window or window, evidence=evidence, mitigation=mitigation,
                          predicted_impact=impact)


def threat_key(threat: ThreatDetected) -> str:
    """Stable across scans: kind, subject and what distinguishes it (source, user, template...)."""
    parts = [threat.kind, threat.subject]
    parts += [f"{name}={threat.evidence[name]}" for name in DISCRIMINATORS if threat.evidence.get(name)]
    digest = hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]
    return f"{threat.kind}:{threat.subject}:{digest}"[:300]


def _log_findings(settings: Settings, context: AnalysisContext, result: ScanResult, service: str | None,
                  progress: Progress | None, follow: bool) -> list[Finding]:
    from functions._platform.domains.logs.source.store import LogStore

    backend = _backend(settings)
    try:
        return _scan_services(LogStore(backend), context, result, service, progress, follow)
    finally:
        backend.close()


def _follow(store, name: str, context: AnalysisContext, result: ScanResult) -> AnalysisContext:
    """A service whose logs ended before the scan window (a historical file) is scanned over the same length
    of time before its last line, with the same baseline factor."""
    end = store.latest(name)
    if end is None or end >= context.window.start:
        return context
    length = context.window.end - context.window.start
    result.notes.append(f"logs {name}: lines end at {end.isoformat()}; scanned the {length} before that "
                        "(give --until to choose the end)")
    stop = end + timedelta(milliseconds=1)
    return windows_before(stop - length, stop)


def _services(store, context: AnalysisContext, follow: bool) -> list[str]:
    if follow:
        return [str(term.value) for term in store.services()]
    return [str(term.value) for term in store.services(context.baseline.start, context.window.end)]


def _scan_services(store, context: AnalysisContext, result: ScanResult, service: str | None,
                   progress: Progress | None, follow: bool) -> list[Finding]:
    names = _services(store, context, follow)
    if service is not None:
        names = [name for name in names if name == service]
    if not names:
        scope = f"for service {service} " if service else ""
        result.notes.append(f"logs: no lines {scope}in the scan window or its baseline")
        return []
    findings: list[Finding] = []
    for done, name in enumerate(names):
        if progress:
            progress(done, len(names), name)
        own = _follow(store, name, context, result) if follow else context
        records, truncated = store.records(name, own.baseline.start, own.window.end, limit=RECORD_LIMIT)
        if truncated:
            result.notes.append(f"logs {name}: only the newest {len(records)} lines were analysed")
        if not records:
            continue
        scoped = from_first_line(own, records[0].timestamp)  # nothing is stored before the first line
        scoped = scoped.but(query=f"logs service={name} [{scoped.baseline.start.isoformat()}, "
                             f"{scoped.window.end.isoformat()})")
        findings.extend(run("logs", records, scoped))
        findings.extend(run("auth", records, scoped, scope="records"))
    if progress:
        progress(len(names), len(names), "")
    result.notes.append(f"logs: scanned {len(names)} services")
    return findings


def _backend(settings: Settings):
    from functions._platform.search import get_search_backend

    return get_search_backend(settings)


def _tls_findings(settings: Settings, context: AnalysisContext, result: ScanResult) -> list[Finding]:
    if not settings.tls_endpoints:
        return []
    from functions._platform.domains.auth.source.tls_probe import parse_endpoints, probe

    probes = [probe(host, port) for host, port in parse_endpoints(settings.tls_endpoints)]
    result.notes.extend(f"tls {p.endpoint}: unreachable ({p.error})" for p in probes if not p.ok)
    return run("auth", probes, context.but(query=f"tls handshake {settings.tls_endpoints}"), scope="certificates")


def _metrics_findings(settings: Settings, window: TimeWindow, result: ScanResult) -> list[Finding]:
    try:
        from functions._platform.domains.metrics.analyzers.sweep import ProviderFetcher, analyze_metrics
        from functions._platform.domains.metrics.source import open_metrics_provider
    except ImportError:
        result.notes.append("metrics: analyzers not installed; skipped")
        return []
    import asyncio

    provider = open_metrics_provider(settings)
    if provider is None:
        result.notes.append("metrics: no source configured; skipped")
        return []
    verdict = asyncio.run(analyze_metrics(ProviderFetcher(provider), window))
    result.notes.append(f"metrics: scanned {len(verdict.services)} services")
    return verdict.findings


def scan_window(since: str | None, until: datetime | None = None) -> AnalysisContext:
    end = until or datetime.now(UTC)
    return windows_before(end - parse_duration(since or DEFAULT_SINCE), end)


def scan(settings: Settings, since: str | None = None, until: datetime | None = None,
         service: str | None = None) -> list[ThreatDetected]:
    """Threats found in the last `since` (default 1h) before `until` (default now), highest level first."""
    return run_scan(settings, since, until, service=service).threats


def run_scan(settings: Settings, since: str | None = None, until: datetime | None = None, *,
             service: str | None = None, progress: Progress | None = None, follow_logs: bool = False) -> ScanResult:
    """`scan`, with notes on what was scanned or skipped. Without `until` the window ends now; with
    `follow_logs` (the CLI) a service whose logs ended before the window is scanned over its own last
    `since` instead (see `_follow`)."""
    result = ScanResult()
    context = scan_window(since, until)
    result.window = context.window
    follow = follow_logs and until is None
    findings = _log_findings(settings, context, result, service, progress, follow)
    findings += _tls_findings(settings, context, result)
    try:
        findings += _metrics_findings(settings, context.window, result)
    except Exception as exc:  # noqa: BLE001 - a broken metrics source must not hide the log threats
        result.notes.append(f"metrics: failed ({type(exc).__name__}: {exc})")
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    threats = [to_threat(f, context.window) for f in findings]
    result.threats = sorted(threats, key=lambda t: (order[t.level], t.kind, t.subject))
    return result
