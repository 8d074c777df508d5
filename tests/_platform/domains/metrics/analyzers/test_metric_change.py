"""metric_change on constructed series: the split at the symptom, the onset, carried-over runs, short history,
counters at sparse scrapes, and the client-latency quantiles it hands to the ranking."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.domains.metrics.analyzers.metric_change import MetricChange, series_change
from functions._platform.domains.metrics.analyzers.signals import SignalData, metrics_context
from functions._platform.domains.metrics.source.models import Series
from sreo_events.models import TimeWindow

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
STEP = 15.0


def context(history: timedelta = timedelta(minutes=75)) -> AnalysisContext:
    window = TimeWindow(start=T0 - timedelta(minutes=15), end=T0 + timedelta(minutes=10))
    baseline = TimeWindow(start=T0 - history, end=window.start)
    return metrics_context(service="cart", window=window, baseline=baseline, step_s=STEP, symptom_onset=T0)


def sampled(name: str, value, scrape_s: float = 60.0, since: timedelta = timedelta(minutes=75),
            pod: str = "cart-6d5f8b7c9-ab1cd", seed: int = 1, noise: float = 0.01) -> Series:
    """A range query's view of a series scraped every `scrape_s`: each step repeats the latest scrape."""
    rng = random.Random(seed)
    start, end = (T0 - since).timestamp(), (T0 + timedelta(minutes=10)).timestamp()
    scrapes, t = [], start
    while t <= end:
        scrapes.append((t, value(t - T0.timestamp()) * (1 + rng.gauss(0, noise))))
        t += scrape_s
    points, index, t = [], 0, start
    while t <= end:
        while index + 1 < len(scrapes) and scrapes[index + 1][0] <= t:
            index += 1
        points.append((t, scrapes[index][1]))
        t += STEP
    return Series(labels={"__name__": name, "service": "cart", "pod": pod}, points=points)


def analyze(*series: Series, ctx: AnalysisContext | None = None):
    data = {"own": SignalData(list(series), 'range_query({service="cart"})'), "pods": SignalData([], "")}
    return MetricChange().analyze(data, ctx or context())


def test_a_step_at_the_symptom_is_a_change_dated_at_its_onset():
    [finding] = analyze(sampled("cpu_usage", lambda s: 2.0 if s >= 0 else 1.0), sampled("memory", lambda s: 300.0))
    assert finding.subject == "cart" and finding.severity == "warning"
    assert [m["metric"] for m in finding.evidence["metrics"]] == ["cpu_usage"]
    assert finding.evidence["metrics"][0]["direction"] == "up" and finding.evidence["robust_z"] > 10
    assert T0 <= finding.onset <= T0 + timedelta(minutes=1)
    assert 'service="cart"' in finding.query


def test_a_change_that_began_before_the_alert_is_dated_where_it_began():
    [finding] = analyze(sampled("cpu_usage", lambda s: 2.0 if s >= -180 else 1.0))
    assert T0 - timedelta(minutes=4) <= finding.onset <= T0 - timedelta(minutes=2)
    assert not finding.evidence["carried_over"]


def test_an_old_change_unchanged_at_the_symptom_is_context_not_cause():
    change = series_change(sampled("cpu_usage", lambda s: 2.0 if s >= -720 else 1.0), context())
    assert change.carried_over and change.z > 3
    assert analyze(sampled("cpu_usage", lambda s: 2.0 if s >= -720 else 1.0)) == []
    # the same old change growing again at the symptom is not carried over
    again = series_change(sampled("cpu_usage", lambda s: 3.0 if s >= 0 else 2.0 if s >= -720 else 1.0), context())
    assert not again.carried_over


def test_too_little_history_is_not_judged():
    short = sampled("cpu_usage", lambda s: 2.0 if s >= 0 else 1.0, since=timedelta(minutes=1, seconds=30))
    assert series_change(short, context()).reference_points < 3
    assert analyze(short) == []


def test_a_counter_scraped_every_60s_is_a_steady_rate_not_bursts():
    jitter = random.Random(5)
    steady = sampled("requests_total", lambda s: (s + 5000) * 10.0 + jitter.uniform(0, 60), noise=0.0)  # 10/s
    assert analyze(steady) == []
    rising = sampled("requests_total", lambda s: (s + 5000) * 10.0 + max(0.0, s) * 30.0 + jitter.uniform(0, 60),
                     noise=0.0)
    [finding] = analyze(rising)
    assert finding.evidence["metrics"][0]["metric"] == "requests_total"
    assert finding.evidence["metrics"][0]["window"] > 30  # requests per second, not per-step increases


def test_client_latency_is_handed_on_moved_or_not_and_strength_is_the_most_changed_pod():
    calm = sampled("pod_client_latency_p90_seconds", lambda s: 0.05)
    [finding] = analyze(calm)
    assert finding.severity == "info" and finding.evidence["metrics"] == []
    assert finding.evidence["client_latency"][0]["metric"] == "pod_client_latency_p90_seconds"
    one_pod = analyze(sampled("cpu_usage", lambda s: 2.0 if s >= 0 else 1.0))[0].evidence["change_strength"]
    pods = [sampled("cpu_usage", lambda s: 2.0 if s >= 0 else 1.0, pod=f"cart-6d5f8b7c9-{p}", seed=i)
            for i, p in enumerate(("aaaaa", "bbbbb"))]
    two_pods = analyze(*pods)[0].evidence["change_strength"]
    assert abs(one_pod - two_pods) < 0.5


def test_the_held_tail_after_a_series_ends_is_not_read_as_samples():
    series = sampled("cpu_usage", lambda s: 2.0 if s >= 0 else 1.0)
    cut = (T0 + timedelta(minutes=3)).timestamp()
    last = next(v for t, v in reversed(series.points) if t <= cut)
    held = [(t, v) if t <= cut else (t, last) for t, v in series.points if t <= cut + 300]
    change = series_change(Series(labels=series.labels, points=held), context())
    assert change.z > 10 and change.level > 1.9


def test_mapping_names_the_client_latency_series():
    ctx = context()
    ctx.scope.mapping = MetricsMapping(client_latency_regex="^outbound_wait$")
    [finding] = analyze(sampled("outbound_wait", lambda s: 0.05), ctx=ctx)
    assert finding.evidence["client_latency"][0]["metric"] == "outbound_wait"


def test_a_scan_without_a_symptom_runs_no_change_analysis():
    import asyncio

    from functions._platform.domains.metrics.analyzers.sweep import analyze_metrics

    class Fetcher:
        async def range(self, query, start, end, step):
            return SignalData([sampled("cpu_usage", lambda s: 2.0 if s >= 0 else 1.0)], query)

        async def label_values(self, label, match, start, end):
            return ["cart"]

    window = context().window
    assert not asyncio.run(analyze_metrics(Fetcher(), window, services=["cart"], include_cluster=False)).findings
    diagnosed = asyncio.run(analyze_metrics(Fetcher(), window, services=["cart"], include_cluster=False,
                                            symptom_onset=T0))
    assert [f.kind for f in diagnosed.findings] == ["metric_change"]
