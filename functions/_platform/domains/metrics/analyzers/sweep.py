"""Sweep the metrics analyzers over some services (or every known one) and the cluster, over an incident window and
its baseline: fetch each analyzer's signals, then the one runner. Used by the metrics agent (through MCP tools)
and by scans (through a provider): both supply a `Fetcher`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from functions._platform.analyzers.baseline import baseline_before
from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.registry import analyzers
from functions._platform.analyzers.runner import run
from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.domains.metrics.analyzers.signals import SignalData, iso, metrics_context
from functions._platform.domains.metrics.source.provider import MetricsProvider
from functions._platform.topology.builders.traces import UNINSTRUMENTED_CLIENT
from sreo_events.models import Finding, TimeWindow

MAX_POINTS_PER_SERIES = 500
MAX_SERVICES = 50
REPLAY_AFTER = timedelta(hours=6)  # a window reaching this far past the symptom is an old incident replayed now
AFTER_ONSET = timedelta(minutes=30)  # what a replay reads after the symptom: causes show at or before it


class Fetcher(Protocol):
    async def range(self, query: str, start: float, end: float, step: float) -> SignalData: ...

    async def label_values(self, label: str, match: str | None, start: float, end: float) -> list[str]: ...


class ProviderFetcher:
    """A `Fetcher` straight over a provider, for callers that are not MCP clients (e.g. scans)."""

    def __init__(self, provider: MetricsProvider):
        self.provider = provider

    async def range(self, query: str, start: float, end: float, step: float) -> SignalData:
        series = await self.provider.range(query, start, end, step)
        return SignalData(series, f"range_query(query={query!r}, start={start:.0f}, end={end:.0f}, step={step:g}s)"
                                  f" on {self.provider.description}")

    async def label_values(self, label: str, match: str | None, start: float, end: float) -> list[str]:
        return await self.provider.label_values(label, match, start, end)


@dataclass
class MetricsVerdict:
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    without_data: list[str] = field(default_factory=list)
    short_history: list[str] = field(default_factory=list)  # had data, but too little before the window to judge


def choose_step(start: float, end: float) -> float:
    raw = max(15.0, (end - start) / MAX_POINTS_PER_SERIES)
    return float(math.ceil(raw / 15.0) * 15)


def analysis_window(window: TimeWindow, symptom_onset: datetime | None) -> TimeWindow:
    """The incident window; for an old incident replayed now (a post-mortem: the window reaches more than
    `REPLAY_AFTER` past the symptom), the `AFTER_ONSET` after the symptom instead of everything up to now."""
    if symptom_onset is None or window.end <= symptom_onset + REPLAY_AFTER:
        return window
    return TimeWindow(start=window.start, end=max(window.start, symptom_onset + AFTER_ONSET))


async def discover_services(fetcher: Fetcher, mapping: MetricsMapping, start: float, end: float) -> dict[str, str]:
    """Service name -> the label that carries it, from `service`/`job` label values on the HTTP metrics, then on
    any series (the first of `service_labels` only: `job` on arbitrary series names exporters), plus the clients of
    the service graph (a service traced but not scraped for HTTP metrics still has dependencies)."""
    found: dict[str, str] = {}
    for label in mapping.service_labels:
        for metric in (mapping.requests_metric, mapping.latency_metric):
            for value in await fetcher.label_values(label, metric, start, end):
                found.setdefault(value, label)
    for value in await fetcher.label_values(mapping.service_labels[0], None, start, end):
        found.setdefault(value, mapping.service_labels[0])
    for value in await fetcher.label_values(mapping.edge_client_label, mapping.edge_requests_metric, start, end):
        if value != UNINSTRUMENTED_CLIENT:
            found.setdefault(value, mapping.service_labels[0])
    return dict(sorted(found.items())[:MAX_SERVICES])


def _note_quiet(verdict: MetricsVerdict, subject: str, analyzer: Any, data: dict[str, SignalData],
                context: AnalysisContext, start: float, baseline: TimeWindow) -> None:
    """Why an analyzer found nothing: no data, too short a history, or checked and healthy."""
    first = min((s.points[0][0] for signal in data.values() for s in signal.series if s.points), default=None)
    if first is None:
        verdict.without_data.append(f"{subject}: {analyzer.kind}")
    elif first > start + (context.baseline_s[1] - start) / 2:
        verdict.short_history.append(
            f"{subject}: not enough history to judge ({analyzer.kind}): data from {iso(first):%Y-%m-%d %H:%M} "
            f"UTC, its baseline starts {baseline.start:%Y-%m-%d %H:%M} UTC")
    elif any(signal.series for signal in data.values()):
        verdict.checked.append(f"{subject}: {analyzer.healthy_text} ({analyzer.kind})")


async def analyze_metrics(fetcher: Fetcher, window: TimeWindow, services: list[str] | None = None,
                          baseline: TimeWindow | None = None, mapping: MetricsMapping | None = None,
                          include_cluster: bool = True, symptom_onset: datetime | None = None) -> MetricsVerdict:
    """Run every analyzer for `services` (None: every discovered service) and, optionally, the cluster scope.
    `symptom_onset` (the alert's start) is where the change analyzer splits history from incident."""
    mapping = mapping or MetricsMapping()
    window = analysis_window(window, symptom_onset)
    baseline = baseline or baseline_before("metrics", window)
    end = window.end.timestamp()
    step = choose_step(baseline.start.timestamp(), end)
    start = math.floor(baseline.start.timestamp() / step) * step
    known = await discover_services(fetcher, mapping, start, end)
    targets = list(known) if services is None else services
    verdict = MetricsVerdict(services=targets)
    cache: dict[str, SignalData] = {}

    async def fetch(query: str) -> SignalData:
        if query not in cache:
            cache[query] = await fetcher.range(query, start, end, step)
        return cache[query]

    scopes: list[str | None] = list(targets) + ([None] if include_cluster else [])
    for service in scopes:
        label = known.get(service, mapping.service_labels[0]) if service else mapping.service_labels[0]
        context = metrics_context(service=service, window=window, baseline=baseline, step_s=step,
                                  mapping=mapping, service_label=label, symptom_onset=symptom_onset)
        for analyzer in analyzers("metrics", "service" if service else "cluster"):
            if getattr(analyzer, "needs_symptom", False) and symptom_onset is None:
                continue  # a change is measured against the symptom's onset; a scan has none
            data = {name: await fetch(query) for name, query in analyzer.signals(context).items()}
            findings = run("metrics", data, context, only=(analyzer,))
            verdict.findings.extend(findings)
            if not findings:
                _note_quiet(verdict, service or "cluster", analyzer, data, context, start, baseline)
    return verdict
