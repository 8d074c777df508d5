"""Root cause from traces: simulated OTLP/JSON exports with one injected fault, through the product, beside two
baselines measured in the same run.

Usage: python bench/traces.py [--cases N] [--seed S] [--show]

Each case simulates two hours of sampled traffic through a topology (Online-Boutique-shaped, a linear chain, a
fan-out over a shared database, a shop with an external payments API and a message queue) and injects one fault a
few minutes before the end: added self latency in a service, errors on one edge, a slow database or external
call, a slow downstream whose callers wait (and time out), a retry storm. Noise is in every case (see
`traces_synth.py`). The export is written as the collector's file exporter writes it, into a temporary directory.

The product runs as a user would run it: an in-process orchestrator on a fresh SQLite store with
SREO_TRACES_FILES pointing at the export, and an Alertmanager v4 webhook on the front-end service whose
`startsAt` is when the alert fired (shortly after the fault began). The score reads the stored report's
`causes`. The truth is the faulty service; for an edge fault the edge's callee; for a fault in a dependency that
is not traced, the dependency under the name the traces README gives it.

Baselines, same cases, same run: "alert" blames what the alert names; "naive p95" ranks services by the rise
of the 95th percentile of their spans' durations (fault period against the two hours before it).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.product_run import report_for_alert
from bench.traces_synth import Fault, Noise, simulate, write_otlp
from bench.traces_topologies import TOPOLOGIES, Topology

K_VALUES = (1, 2, 3, 4, 5)
HISTORY_S = 2 * 3600  # traffic before the fault
ERROR_KINDS = ("edge_errors", "retry_storm")

# (topology, fault kind, target, caller): the target is a service or a dependency (its key or name)
CASES = (
    ("boutique", "self_latency", "productcatalogservice", None),
    ("chain", "self_latency", "inventory", None),
    ("fanout", "slow_dependency", "postgres/shop", None),
    ("queue", "slow_dependency", "payments-api", None),
    ("boutique", "edge_errors", "paymentservice", "checkoutservice"),
    ("chain", "slow_downstream", "pricing", None),
    ("fanout", "self_latency", "billing", None),
    ("queue", "edge_errors", "payments-api", "checkout"),
    ("boutique", "slow_dependency", "redis-cart", None),
    ("chain", "edge_errors", "inventory", "orders"),
    ("fanout", "edge_errors", "orders", "api-gateway"),
    ("queue", "slow_dependency", "order-events", None),
    ("boutique", "slow_downstream", "shippingservice", None),
    ("chain", "slow_dependency", "ledger-db", None),
    ("fanout", "retry_storm", "users", None),
    ("queue", "self_latency", "checkout", None),
    ("boutique", "retry_storm", "shippingservice", None),
    ("chain", "retry_storm", "pricing", None),
    ("fanout", "slow_downstream", "search", None),
    ("queue", "slow_dependency", "orders-db", None),
    ("boutique", "self_latency", "currencyservice", None),
    ("chain", "self_latency", "pricing", None),
    ("fanout", "slow_dependency", "search-es", None),
    ("queue", "retry_storm", "catalog", None),
    ("boutique", "edge_errors", "cartservice", "frontend"),
    ("chain", "self_latency", "api", None),
    ("fanout", "self_latency", "api-gateway", None),
    ("queue", "edge_errors", "catalog", "web"),
    ("boutique", "self_latency", "frontend", None),
    ("chain", "edge_errors", "pricing", "inventory"),
    ("boutique", "self_latency", "cartservice", None),
    ("boutique", "self_latency", "recommendationservice", None),
)


@dataclass(frozen=True)
class Case:
    id: str
    topology: Topology
    fault: Fault
    noise: Noise
    truth: str
    fault_at: float
    alert_at: float


def truth_of(topology: Topology, target: str) -> str:
    dependency = topology.dependencies.get(target)
    return dependency.name if dependency else target


def magnitude(kind: str, rng: random.Random) -> dict[str, float | bool]:
    if kind == "self_latency":
        return {"added_ms": rng.uniform(40, 300)}
    if kind == "slow_downstream":
        return {"added_ms": rng.uniform(400, 2000)}
    if kind == "slow_dependency":
        return {"added_ms": rng.uniform(30, 400)}
    if kind == "edge_errors":
        return {"share": rng.uniform(0.15, 0.6), "refused": rng.random() < 0.3}
    return {"share": rng.uniform(0.3, 0.6)}  # retry_storm


def make_case(spec: tuple[str, str, str, str | None], seed: int, now: float) -> Case:
    name, kind, target, caller = spec
    case_id = f"{name}-{kind}-{target}"
    rng = random.Random(f"{seed}:{case_id}")
    topology = TOPOLOGIES[name]
    fields = magnitude(kind, rng)
    if kind == "edge_errors" and target in topology.dependencies:
        fields["refused"] = False
    fault = Fault(kind=kind, target=target, caller=caller, **fields)  # type: ignore[arg-type]
    truth = truth_of(topology, target)
    fault_at = now - rng.uniform(6, 12) * 60
    services = sorted(topology.services)
    skewed = rng.choice(services)
    skew = {s: rng.gauss(0, 0.004) for s in services}
    skew[skewed] = rng.choice((-1, 1)) * rng.uniform(0.05, 0.4)
    neighbour = rng.choice([s for s in services if s not in (truth, topology.root)])
    noise = Noise(drop_share=rng.uniform(0.005, 0.04), skew_s=skew, neighbour=neighbour,
                  neighbour_share=rng.uniform(0.05, 0.2), neighbour_from=fault_at - rng.uniform(3, 90) * 60)
    return Case(case_id, topology, fault, noise, truth, fault_at, fault_at + rng.uniform(30, 120))


def alert_webhook(case: Case) -> dict:
    service = case.topology.root
    errors = case.fault.kind in ERROR_KINDS
    name = "HighErrorRate" if errors else "HighLatency"
    summary = f"{service} requests are failing with 5xx" if errors else f"{service} requests are slow (p99 latency)"
    starts = datetime.fromtimestamp(case.alert_at, UTC).isoformat().replace("+00:00", "Z")
    labels = {"alertname": name, "service": service, "namespace": "shop", "severity": "critical"}
    alert = {"status": "firing", "labels": labels, "annotations": {"summary": summary}, "startsAt": starts,
             "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "", "fingerprint": ""}
    return {"version": "4", "groupKey": f"{{}}:{{alertname=\"{name}\"}}@{starts}", "status": "firing",
            "receiver": "sreo", "groupLabels": {"alertname": name}, "commonLabels": labels,
            "commonAnnotations": alert["annotations"], "externalURL": "", "truncatedAlerts": 0, "alerts": [alert]}


def generate(case: Case, now: float, folder: Path, seed: int, history_s: float) -> tuple[Path, int]:
    rng = random.Random(f"{seed}:{case.id}:traffic")
    spans = simulate(case.topology, case.fault, case.noise, case.fault_at - history_s, case.fault_at, now, rng)
    path = folder / "otel-traces.json"
    return path, write_otlp(spans, case.noise, path, rng)


def run_product(case: Case, traces: Path, work: Path) -> tuple[dict, float]:
    """The stored report of one case, and the seconds from posting the alert to the stored report."""
    from functions._platform.config import Settings

    settings = Settings(home=work / "home", database_url=None, opensearch_url=None, prometheus_url=None,
                        api_tokens=None, metrics_files=None, topology_file=None, kube_snapshot=None,
                        traces_files=str(traces), correlation_deadline_s=120, agent_timeout_s=120)
    return report_for_alert(settings, alert_webhook(case), case.id)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values[0] if values else 0.0)


def naive_ranking(traces: Path, fault_at: float) -> list[str]:
    """Services by the rise of their spans' p95 duration, from the fault on against before it (the export read
    as it is, by the service.name of each resource)."""
    before: dict[str, list[float]] = defaultdict(list)
    after: dict[str, list[float]] = defaultdict(list)
    for line in traces.read_text(encoding="utf-8").splitlines():
        for resource_spans in json.loads(line)["resourceSpans"]:
            service = next(a["value"]["stringValue"] for a in resource_spans["resource"]["attributes"]
                           if a["key"] == "service.name")
            for scope in resource_spans["scopeSpans"]:
                for span in scope["spans"]:
                    start, end = int(span["startTimeUnixNano"]) / 1e9, int(span["endTimeUnixNano"]) / 1e9
                    (after if start >= fault_at else before)[service].append(end - start)
    rise = {s: p95(after[s]) - p95(before[s]) for s in before if after.get(s)}
    return sorted(rise, key=lambda s: (-rise[s], s))


def position(ranking: list[str], truth: str) -> int | None:
    return ranking.index(truth) + 1 if truth in ranking else None


def accuracy(positions: list[int | None]) -> dict[str, float]:
    n = len(positions) or 1
    at = {k: sum(1 for p in positions if p is not None and p <= k) / n for k in K_VALUES}
    return {"AC@1": at[1], "AC@3": at[3], "Avg@5": statistics.fmean(at.values())}


def evaluate(specs: tuple[tuple[str, str, str, str | None], ...], seed: int, show: bool = False,
             history_s: float = HISTORY_S) -> dict[str, dict[str, float]]:
    ours, alert, naive, seconds = [], [], [], []
    print(f"{'case':48} {'truth':36} ours alert naive  spans  seconds  our top 3", file=sys.stderr)
    for spec in specs:
        with tempfile.TemporaryDirectory(prefix="traces-case-") as tmp:
            work = Path(tmp)
            now = time.time()
            case = make_case(spec, seed, now)
            traces, written = generate(case, now, work, seed, history_s)
            report, took = run_product(case, traces, work)
            naive.append(position(naive_ranking(traces, case.fault_at), case.truth))
        ranked = [cause["component"] for cause in report.get("causes", [])]
        ours.append(position(ranked, case.truth))
        alert.append(position([case.topology.root], case.truth))
        seconds.append(took)
        print(f"{case.id:48} {case.truth:36} {ours[-1] or '-':>4} {alert[-1] or '-':>5} {naive[-1] or '-':>5} "
              f"{written:6}  {took:7.2f}  {', '.join(ranked[:3])}", file=sys.stderr)
        if show:
            at = datetime.fromtimestamp(case.fault_at, UTC)
            print(f"    fault at {at:%H:%M:%S} {case.fault}; noisy neighbour {case.noise.neighbour} from "
                  f"{datetime.fromtimestamp(case.noise.neighbour_from, UTC):%H:%M}", file=sys.stderr)
            for n, cause in enumerate(report.get("causes", [])[:5], 1):
                print(f"    {n}. {cause['component']} ({cause['kind']}, score {cause['score']:.2f}): "
                      f"{cause.get('reason', '')[:150]}", file=sys.stderr)
    figures = {"product": accuracy(ours), "alert names it": accuracy(alert), "naive p95 rise": accuracy(naive)}
    print(f"cases: {len(specs)} (seed {seed})")
    for label, values in figures.items():
        print(f"{label:16} " + "  ".join(f"{name} {value:.2f}" for name, value in values.items()))
    print(f"time per case (alert to stored report): median {statistics.median(seconds):.2f} s, "
          f"max {max(seconds):.2f} s")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=None, help=f"only the first N of the {len(CASES)} cases")
    parser.add_argument("--seed", type=int, default=1, help="seed of every case's magnitudes, noise and traffic")
    parser.add_argument("--show", action="store_true", help="print each case's top five causes")
    args = parser.parse_args(argv)
    evaluate(CASES[: args.cases] if args.cases else CASES, args.seed, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
