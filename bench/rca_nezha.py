"""Root-cause ranking on real fault injections (Nezha, Online Boutique), beside a naive baseline.

Usage: python bench/rca_nezha.py [--data-root DIR] [--cases FILE.jsonl] [--without waiting|quantiles|background]
                                 [--before MIN] [--after MIN]

For each case: every pod metric column becomes a series; points before the injection time are the
baseline, points from the injection to the end of the case window are the incident window. Each
series gets a robust change magnitude (functions.correlate.anomaly); a service's strength is the
breadth-weighted sum over its columns above the incident's median service, and the rise of its
client-side latency is how long it waits on its dependencies (see ``service_signals``); the call graph
supplies the edges. ``--without`` leaves a part out and ``--before``/``--after`` narrow the window, to
show how much each choice matters.
Labels (expected root cause, fault type) are read only to score. Figures go to stdout, the per-case
table to stderr.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from functions.correlate.anomaly import ONSET_THRESHOLD, robust_location_scale, robust_scores, series_onset
from functions.correlate.ranking import CallLatency, ComponentSignal, rank

NON_METRIC_COLUMNS = {"service", "time", "timestamp", "podname", "pod", "node", "namespace"}
POD_SUFFIX = re.compile(r"(-[a-z0-9]{6,10})?-[a-z0-9]{5}$|-\d+$")
K_VALUES = (1, 2, 3, 4, 5)
CASE_HALF_WINDOW = timedelta(minutes=5)
ABLATIONS = ("waiting", "quantiles", "background")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.strip().replace(" ", "T"))


def row_time(row: dict[str, str]) -> datetime:
    """The row's wallclock ``Time``; without one, its epoch ``TimeStamp`` (UTC, like the wallclock)."""
    for key in ("Time", "time"):
        if row.get(key):
            return parse_time(row[key])
    for key in ("TimeStamp", "Timestamp", "timestamp"):
        if row.get(key):
            return datetime.fromtimestamp(float(row[key]), UTC).replace(tzinfo=None)
    raise ValueError("a metrics row has neither Time nor TimeStamp")


def service_of(row: dict[str, str]) -> str:
    """The service a pod row belongs to: its own service column, else the pod name without the
    Deployment (``-<replicaset hash>-<pod id>``) or StatefulSet (``-<ordinal>``) suffix."""
    for key in ("service", "Service", "ServiceName"):
        if row.get(key):
            return row[key].strip()
    return POD_SUFFIX.sub("", row.get("PodName", row.get("pod", "")).strip())


def metric_columns(header: list[str]) -> list[str]:
    return [c for c in header if c.strip().lower() not in NON_METRIC_COLUMNS]


def load_pod_series(path: Path) -> dict[tuple[str, str], dict[str, list[tuple[datetime, float]]]]:
    """(service, pod) -> column -> time-ordered points."""
    series: dict[tuple[str, str], dict[str, list[tuple[datetime, float]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        columns = metric_columns(reader.fieldnames or [])
        for row in reader:
            moment = row_time(row)
            key = (service_of(row), row.get("PodName", ""))
            for column in columns:
                try:
                    value = float(row[column])
                except (TypeError, ValueError):
                    continue
                if math.isfinite(value):
                    series[key][column].append((moment, value))
    return snap_to_grid(series)


def snap_to_grid(series):
    """Exporters stamp the same scrape a second apart on different pods; snap every point to the
    case-wide sampling grid (origin: earliest stamp, step: median spacing) so that all pods agree on
    which samples precede the injection."""
    stamps = sorted({t for columns in series.values() for points in columns.values() for t, _ in points})
    gaps = [
        (b - a).total_seconds()
        for columns in series.values()
        for points in columns.values()
        for (a, _), (b, _) in itertools.pairwise(sorted(points))
    ]
    step = statistics.median(gaps) if gaps else 0.0
    for columns in series.values():
        for column, points in columns.items():
            if step > 0:
                origin = stamps[0]
                points = [
                    (origin + timedelta(seconds=step * round((t - origin).total_seconds() / step)), v)
                    for t, v in points
                ]
            columns[column] = sorted(points)
    return series


def load_edges(path: Path) -> list[tuple[str, str]]:
    """(caller, callee) pairs from a ``Source,Target`` call-graph file (header case does not matter)."""
    with path.open(newline="") as handle:
        rows = [{key.strip().lower(): value for key, value in row.items() if key} for row in csv.DictReader(handle)]
    return [(row["source"].strip(), row["target"].strip()) for row in rows if row.get("source") and row.get("target")]


def split(points, start: datetime, inject: datetime, end: datetime):
    before = [v for t, v in points if start <= t < inject]
    after = [v for t, v in points if inject <= t <= end]
    return before, after


def is_client_latency(column: str) -> bool:
    """Latency a pod measures on its own outgoing calls: time spent waiting on its dependencies."""
    name = column.lower()
    return "client" in name and "latency" in name


def call_latency(baseline: list[float], window: list[float]) -> CallLatency:
    """One client-latency quantile: the baseline's median and robust spread, and the window's median."""
    centre, spread = robust_location_scale(baseline, level_hint=statistics.median(window))
    return CallLatency(centre, spread, statistics.median(window))


def service_signals(series, start: datetime, inject: datetime, end: datetime,
                    without: frozenset[str] = frozenset()) -> list[ComponentSignal]:
    """One signal per service. Per column: the median robust z of the window against the baseline
    (a sustained change, not a one-sample blip). Per pod: sum of z/(z+3) over columns, times 3, so a
    pod counts by how many of its metrics clearly moved (a faulty pod moves on several, a symptom on
    a few) while no single column can exceed 3. Per service: its worst pod, measured above the
    incident's median service, since every pod's sum carries the same background of small wobbles.
    Waiting: the pod's client-latency columns (its calls to dependencies got slower), each as a
    window median against the baseline's level and spread, and their largest rise in robust z.
    Onset: the first anomalous minute over the pod's clearly-moved columns."""
    best: dict[str, ComponentSignal] = {}
    for (service, pod), columns in series.items():
        strength = 0.0
        onsets, quantiles = [], []
        for column, points in columns.items():
            baseline, window = split(points, start, inject, end)
            scores = [s for s in robust_scores(baseline, window) if not math.isnan(s)]
            if not baseline or not scores:
                continue
            z = statistics.median(scores)
            strength += ONSET_THRESHOLD * z / (z + ONSET_THRESHOLD)
            if is_client_latency(column):
                quantiles.append(call_latency(baseline, window))
            if z >= ONSET_THRESHOLD:
                times = [t for t, _ in points if start <= t <= end]
                values = [v for t, v in points if start <= t <= end]
                moment = series_onset(times, values, inject)
                if moment is not None:
                    onsets.append(moment.replace(second=0, microsecond=0))
        onset = min(onsets, default=None)
        signal = ComponentSignal(service, strength, onset, frozenset({"metrics"}), 0.0, (pod,),
                                 call_latency=tuple(quantiles))
        if service not in best or strength > best[service].anomaly:
            best[service] = signal
    signals = list(best.values())
    if "waiting" in without:
        signals = [replace(s, call_latency=()) for s in signals]
    if "quantiles" in without:  # keep the wait they imply, as one aggregate number
        signals = [replace(s, waiting=max((q.z() for q in s.call_latency), default=0.0), call_latency=())
                   for s in signals]
    if "background" not in without and signals:
        background = statistics.median(s.anomaly for s in signals)
        signals = [replace(s, anomaly=max(0.0, s.anomaly - background)) for s in signals]
    return signals


def naive_ranking(series, start: datetime, inject: datetime, end: datetime) -> list[str]:
    """Largest |mean(after) - mean(before)| / stdev(before) over every pod metric, per service."""
    top: dict[str, float] = {}
    for (service, _), columns in series.items():
        for points in columns.values():
            before, after = split(points, start, inject, end)
            if len(before) < 2 or not after:
                continue
            spread = statistics.stdev(before)
            change = abs(statistics.fmean(after) - statistics.fmean(before))
            z = change / spread if spread > 0 else (float("inf") if change > 0 else 0.0)
            top[service] = max(top.get(service, 0.0), z)
    return sorted(top, key=lambda s: (-top[s], s))


def case_times(case: dict) -> tuple[datetime, datetime, datetime]:
    """Injection time and case window; without a window, the five minutes either side of the injection.
    ``inject_timestamp`` (epoch seconds, UTC like the metric files' clock) stands in for a missing wallclock."""
    if case.get("inject_time_wallclock"):
        inject = parse_time(case["inject_time_wallclock"])
    else:
        inject = datetime.fromtimestamp(int(case["inject_timestamp"]), UTC).replace(tzinfo=None)
    if case.get("window"):
        start, end = (parse_time(t) for t in case["window"])
    else:
        start, end = inject - CASE_HALF_WINDOW, inject + CASE_HALF_WINDOW
    return inject, start, end


def accuracy(positions: list[int | None]) -> dict[str, float]:
    n = len(positions) or 1
    at = {k: sum(1 for p in positions if p is not None and p <= k) / n for k in K_VALUES}
    return {"AC@1": at[1], "AC@3": at[3], "Avg@5": statistics.fmean(at.values())}


def position(ranking: list[str], truth: str) -> int | None:
    return ranking.index(truth) + 1 if truth in ranking else None


def clip(times: tuple[datetime, datetime, datetime], before: float | None, after: float | None):
    """The case window narrowed to ``before``/``after`` minutes around the injection (a sensitivity check)."""
    inject, start, end = times
    if before is not None:
        start = max(start, inject - timedelta(minutes=before))
    if after is not None:
        end = min(end, inject + timedelta(minutes=after))
    return inject, start, end


def evaluate(cases: list[dict], data_root: Path, without: frozenset[str] = frozenset(),
             before: float | None = None, after: float | None = None) -> tuple[dict, dict, list[tuple]]:
    ours, naive, table = [], [], []
    for case in cases:
        files = case["files"]
        series = load_pod_series(data_root / files["pod_metrics"])
        inject, start, end = clip(case_times(case), before, after)
        signals = service_signals(series, start, inject, end, without)
        known = {s.component for s in signals}
        edges = [(a, b) for a, b in load_edges(data_root / files["dependency"]) if a in known and b in known]
        ranked = [cause.component for cause in rank(signals, edges, k=len(known))]
        baseline = naive_ranking(series, start, inject, end)
        truth = case["expected_root_cause_service"]
        ours.append(position(ranked, truth))
        naive.append(position(baseline, truth))
        table.append((case["case_id"], truth, ours[-1], naive[-1], ranked[:3]))
    return accuracy(ours), accuracy(naive), table


def synthetic_rank_seconds(services: int, repeats: int = 5, seed: int = 7) -> float:
    """Median time to rank a random layered call graph of ``services`` nodes (about 3 callees each)."""
    rng = random.Random(seed)
    names = [f"svc-{i:03d}" for i in range(services)]
    edges = [
        (names[i], names[j])
        for i in range(services)
        for j in rng.sample(range(i + 1, services), min(3, services - i - 1))
    ]
    t0 = datetime(2024, 1, 1)
    signals = [
        ComponentSignal(
            n, rng.expovariate(0.3), t0 + timedelta(minutes=rng.randint(0, 10)), frozenset({"metrics"})
        )
        for n in names
    ]
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        rank(signals, edges, k=5)
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    parser.add_argument("--cases", type=Path, default=None, help="default: <data-root>/rca/nezha_cases.jsonl")
    parser.add_argument("--without", action="append", choices=ABLATIONS, default=[],
                        help="leave one part of the signal out (ablation); repeatable")
    parser.add_argument("--before", type=float, default=None, help="baseline minutes before the injection")
    parser.add_argument("--after", type=float, default=None, help="incident-window minutes after the injection")
    args = parser.parse_args(argv)
    cases_path = args.cases or args.data_root / "rca" / "nezha_cases.jsonl"
    if not cases_path.is_file():
        print(f"error: no cases file at {cases_path} (pass --data-root or --cases)", file=sys.stderr)
        return 2
    cases = [json.loads(line) for line in cases_path.read_text().splitlines() if line.strip()]
    missing = [
        str(args.data_root / rel)
        for c in cases
        for rel in (c["files"]["pod_metrics"], c["files"]["dependency"])
        if not (args.data_root / rel).is_file()
    ]
    if not cases or missing:
        print(
            f"error: case data missing under {args.data_root}: {missing[:3] or 'no cases'}", file=sys.stderr
        )
        return 2

    ours, naive, table = evaluate(cases, args.data_root, frozenset(args.without), args.before, args.after)
    print(f"{'case':58} {'truth':24} ours naive  our top-3", file=sys.stderr)
    for case_id, truth, mine, theirs, top in table:
        print(
            f"{case_id:58} {truth:24} {mine or '-':>4} {theirs or '-':>5}  {', '.join(top)}", file=sys.stderr
        )
    print(f"cases: {len(cases)}")
    for label, figures in (("ranking (ours)", ours), ("naive max z-score", naive)):
        print(f"{label:20} " + "  ".join(f"{name} {value:.2f}" for name, value in figures.items()))
    small, large = synthetic_rank_seconds(20), synthetic_rank_seconds(200)
    print(f"rank() time: 20 services {small * 1000:.2f} ms, 200 services {large * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
