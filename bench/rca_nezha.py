"""Root-cause ranking on real fault injections (Nezha, Online Boutique), through the product, beside a naive baseline.

Usage: python bench/rca_nezha.py [--data-root DIR] [--cases FILE.jsonl] [--without-graph] [--limit N]

Each case runs through the product exactly as a user would feed it: an in-process orchestrator (store, local
broker, every function, the REST API) with a fresh SQLite store, the case's pod metrics CSV served by the metrics
source as it is (SREO_METRICS_FILES: a wide CSV with `Service`/`PodName` columns), the call graph (when the case
has one and `--without-graph` is not given) as declared topology (SREO_TOPOLOGY_FILE), and an Alertmanager v4
webhook on the front-end symptom at the injection time (POST /alerts/alertmanager). The score reads the stored
report's `causes` (GET /incidents/{id}/report). Nothing here builds a signal or calls the ranking.

Labels (expected root cause) are read only to score. "At the incident" counts the hits whose evidence on the
true component starts within one minute of the symptom's onset (the alert), so an anomaly carried over from
an earlier fault cannot pass for diagnosis. Figures go to stdout, the per-case table to stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import sys
import tempfile
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.product_run import report_for_alert

K_VALUES = (1, 2, 3, 4, 5)
FRONT_END = "frontend"
AT_INCIDENT = timedelta(minutes=1)
NON_METRIC_COLUMNS = {"service", "time", "timestamp", "podname", "pod", "node", "namespace"}


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.strip().replace(" ", "T"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def injection_time(case: dict) -> datetime:
    """The wallclock injection time (the metric files' clock); the epoch timestamp only when it is missing."""
    if case.get("inject_time_wallclock"):
        return parse_time(case["inject_time_wallclock"])
    return datetime.fromtimestamp(int(case["inject_timestamp"]), UTC)


def topology_yaml(dependency: Path) -> str:
    """The call graph (`Source,Target` rows) in the declared-topology format."""
    depends: dict[str, set[str]] = defaultdict(set)
    with dependency.open(newline="") as handle:
        for row in csv.DictReader(handle):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            if row.get("source") and row.get("target") and row["source"] != row["target"]:
                depends[row["source"]].add(row["target"])
                depends.setdefault(row["target"], set())
    lines = ["services:"]
    for service in sorted(depends):
        lines.append(f"  {service}:")
        lines.append(f"    depends_on: [{', '.join(sorted(depends[service]))}]")
    return "\n".join(lines) + "\n"


def alert_webhook(inject: datetime) -> dict:
    starts = inject.astimezone(UTC).isoformat().replace("+00:00", "Z")
    labels = {"alertname": "FrontendLatencyHigh", "service": FRONT_END, "severity": "critical"}
    alert = {"status": "firing", "labels": labels,
             "annotations": {"summary": "frontend requests are slow and failing"},
             "startsAt": starts, "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "", "fingerprint": ""}
    return {"version": "4", "groupKey": f"{{}}:{{alertname=\"FrontendLatencyHigh\"}}@{starts}", "status": "firing",
            "receiver": "sreo", "groupLabels": {"alertname": "FrontendLatencyHigh"}, "commonLabels": labels,
            "commonAnnotations": alert["annotations"], "externalURL": "", "truncatedAlerts": 0, "alerts": [alert]}


def run_case(case: dict, data_root: Path, with_graph: bool, work: Path) -> tuple[dict, float]:
    """The stored report of one case, and the seconds from posting the alert to the stored report."""
    from functions._platform.config import Settings

    files = case["files"]
    topology = None
    dependency = files.get("dependency")
    if with_graph and dependency and (data_root / dependency).is_file():
        topology = work / "topology.yaml"
        topology.write_text(topology_yaml(data_root / dependency))
    settings = Settings(home=work / "home", database_url=None, opensearch_url=None, prometheus_url=None,
                        api_tokens=None, metrics_files=str(data_root / files["pod_metrics"]), topology_file=topology,
                        kube_snapshot=None, correlation_deadline_s=120, agent_timeout_s=120)
    return report_for_alert(settings, alert_webhook(injection_time(case)), case["case_id"])


def at_incident(cause: dict, onset: datetime) -> bool:
    """Some evidence of the cause starts within a minute of the symptom's onset."""
    return any(finding.get("subject") == cause["component"] and finding.get("onset")
               and abs(parse_time(finding["onset"]) - onset) <= AT_INCIDENT for finding in cause.get("evidence", []))


def naive_ranking(path: Path, inject: datetime) -> list[str]:
    """Largest |mean(after) - mean(before)| / stdev(before) over every pod metric column, per service."""
    before: dict[tuple[str, str], list[float]] = defaultdict(list)
    after: dict[tuple[str, str], list[float]] = defaultdict(list)
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [c for c in reader.fieldnames or [] if c.strip().lower() not in NON_METRIC_COLUMNS]
        for row in reader:
            moment = parse_time(row.get("Time") or row["time"])
            service = row.get("Service") or row.get("service") or ""
            for column in columns:
                try:
                    value = float(row[column])
                except (TypeError, ValueError):
                    continue
                if math.isfinite(value):
                    (before if moment < inject else after)[(service, column)].append(value)
    top: dict[str, float] = {}
    for key, values in before.items():
        if len(values) < 2 or not after.get(key):
            continue
        spread = statistics.stdev(values)
        change = abs(statistics.fmean(after[key]) - statistics.fmean(values))
        z = change / spread if spread > 0 else (math.inf if change > 0 else 0.0)
        top[key[0]] = max(top.get(key[0], 0.0), z)
    return sorted(top, key=lambda s: (-top[s], s))


def accuracy(positions: list[int | None]) -> dict[str, float]:
    n = len(positions) or 1
    at = {k: sum(1 for p in positions if p is not None and p <= k) / n for k in K_VALUES}
    return {"AC@1": at[1], "AC@3": at[3], "Avg@5": statistics.fmean(at.values())}


def position(ranking: list[str], truth: str) -> int | None:
    return ranking.index(truth) + 1 if truth in ranking else None


def evaluate(cases: list[dict], data_root: Path, with_graph: bool):
    ours, naive, table, seconds, fresh = [], [], [], [], []
    for case in cases:
        truth, inject = case["expected_root_cause_service"], injection_time(case)
        with tempfile.TemporaryDirectory(prefix="rca-case-") as work:
            report, took = run_case(case, data_root, with_graph, Path(work))
        causes = report.get("causes", [])
        ranked = [cause["component"] for cause in causes]
        mine = position(ranked, truth)
        ours.append(mine)
        naive.append(position(naive_ranking(data_root / case["files"]["pod_metrics"], inject), truth))
        seconds.append(took)
        if mine is not None and mine <= 3:
            fresh.append(at_incident(causes[mine - 1], inject))
        table.append((case["case_id"], truth, mine, naive[-1], ranked[:3], took))
    return accuracy(ours), accuracy(naive), table, seconds, fresh


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    parser.add_argument("--cases", type=Path, default=None, help="default: <data-root>/rca/nezha_cases.jsonl")
    parser.add_argument("--without-graph", action="store_true",
                        help="leave the call graph out, as on a cluster without tracing")
    parser.add_argument("--limit", type=int, default=None, help="only the first N cases (a quick look)")
    args = parser.parse_args(argv)
    cases_path = args.cases or args.data_root / "rca" / "nezha_cases.jsonl"
    if not cases_path.is_file():
        print(f"error: no cases file at {cases_path} (pass --data-root or --cases)", file=sys.stderr)
        return 2
    cases = [json.loads(line) for line in cases_path.read_text().splitlines() if line.strip()][: args.limit]
    missing = [str(args.data_root / c["files"]["pod_metrics"]) for c in cases
               if not (args.data_root / c["files"]["pod_metrics"]).is_file()]
    if not cases or missing:
        print(f"error: case data missing under {args.data_root}: {missing[:3] or 'no cases'}", file=sys.stderr)
        return 2

    ours, naive, table, seconds, fresh = evaluate(cases, args.data_root, not args.without_graph)
    print(f"{'case':58} {'truth':24} ours naive  seconds  our top-3", file=sys.stderr)
    for case_id, truth, mine, theirs, top, took in table:
        print(f"{case_id:58} {truth:24} {mine or '-':>4} {theirs or '-':>5}  {took:7.2f}  {', '.join(top)}",
              file=sys.stderr)
    print(f"cases: {len(cases)} ({'without' if args.without_graph else 'with'} the call graph)")
    for label, figures in (("ranking (ours)", ours), ("naive max z-score", naive)):
        print(f"{label:20} " + "  ".join(f"{name} {value:.2f}" for name, value in figures.items()))
    share = sum(fresh) / len(fresh) if fresh else 0.0
    print(f"hits in top 3 whose evidence starts within 1 min of the symptom: {sum(fresh)}/{len(fresh)} ({share:.2f})")
    print(f"time per case (alert to stored report): median {statistics.median(seconds):.2f} s, "
          f"max {max(seconds):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
