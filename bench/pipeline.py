"""End-to-end latency of the local runtime: accepted Alertmanager alert -> stored report.

Drives `LocalHost` (store, local broker, every function) and the REST app of `sreo serve` through a TestClient,
the way `sreo demo` does, with N alerts that each open their own incident, `--concurrency` of them in flight.
Measured on the embedded SQLite store and on a throw-away PostgreSQL, in one run, for two configurations:

- `local sources`: the agents read the demo scenario's Kubernetes snapshot, metrics file and ingested logs
  (the deterministic path with local sources);
- `no sources` (baseline): nothing configured, so agents answer `no_data` at once = pure pipeline overhead.

Latency is `reported_at - created_at` as stored by the pipeline (server side), and the client-side time from
the accepted POST to the report's `report.published` event (watched on the broker, so nothing polls).
Stage medians split the stored latency: agents (opened -> last evidence recorded), correlate, report. One warm-up incident per
configuration is left out of the figures and reported as `first`.

    python bench/pipeline.py [--n 20] [--repeat 3] [--concurrency 1] [--backends sqlite,postgres] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Self

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from fastapi.testclient import TestClient

from functions._local.api import create_app
from functions._local.demo import scenario
from functions._local.host import LocalHost
from functions._platform.config import Settings
from functions._platform.domains.logs.source.ingest import ingest_file
from functions._platform.search import get_search_backend
from sreo_events.types import REPORT_PUBLISHED

TIMEOUT_S = 120.0


@dataclass
class Figures:
    backend: str
    sources: str
    n: int
    concurrency: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    client_p50_ms: float
    client_p95_ms: float
    accept_p50_ms: float
    first_ms: float
    throughput_per_s: float
    cpu_ms_per_incident: float
    agents_p50_ms: float
    correlate_p50_ms: float
    report_p50_ms: float
    lost: int
    top_cause: str


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def alert_body(template: dict[str, Any], serial: int) -> bytes:
    """The demo alert as a new alert group, so every POST opens its own incident."""
    tag = f"{serial}-{uuid.uuid4().hex[:8]}"
    body = json.loads(json.dumps(template))
    body["groupKey"] = f'{{}}:{{alertname="CheckoutErrorRate", bench="{tag}"}}'
    for alert in body["alerts"]:
        alert["fingerprint"] = uuid.uuid4().hex[:16]
    return json.dumps(body).encode()


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def stages(report: dict[str, Any]) -> tuple[float, float, float]:
    """Seconds spent by the agents (opened -> last evidence recorded), correlate and report."""
    created, correlated = _seconds(report["created_at"]), _seconds(report["correlated_at"])
    answers = [_seconds(entry["at"]) for entry in report.get("timeline", [])
               if entry.get("actor") == "correlate" and " answered " in entry.get("text", "")]
    last_evidence = max(answers, default=correlated)
    return last_evidence - created, correlated - last_evidence, _seconds(report["reported_at"]) - correlated


class Driver:
    def __init__(self, settings: Settings, template: dict[str, Any]):
        self.settings = settings
        self.template = template
        self.serial = 0
        self.lock = threading.Lock()

    def __enter__(self) -> Self:
        self.host = LocalHost(self.settings, tick_s=0).start(ticking=False)
        self.http = TestClient(create_app(self.host.runtime, self.host.broker))
        self.published: dict[str, threading.Event] = {}
        deliver = self.host.relay.deliver

        def watching_deliver(event: Any) -> bool:
            """Notices report.published, so waiting for a report needs no polling that competes for the GIL."""
            if event["type"] == REPORT_PUBLISHED:
                self._published(event["subject"]).set()
            return deliver(event)

        self.host.relay.deliver = watching_deliver
        return self

    def _published(self, incident_id: str) -> threading.Event:
        with self.lock:
            return self.published.setdefault(incident_id, threading.Event())

    def __exit__(self, *exc: object) -> None:
        self.host.stop()
        self.host.runtime.db.dispose()

    def one(self) -> tuple[float, float, dict[str, Any], float] | None:
        """(stored latency s, client latency s, report, accept s) of one alert; None when no report came in time.
        Accept is the POST's round trip: triage's own work (store, runbook lookup, fan-out) before the 202."""
        with self.lock:
            self.serial += 1
            serial = self.serial
        posted = time.monotonic()
        response = self.http.post("/alerts/alertmanager", content=alert_body(self.template, serial),
                                  headers={"content-type": "application/json"})
        accepted = time.monotonic()
        response.raise_for_status()
        incident_id = response.json()["incidents"][0]["id"]
        if not self._published(incident_id).wait(TIMEOUT_S):
            print(f"  lost: no report for {incident_id} within {TIMEOUT_S:g}s", file=sys.stderr)
            return None
        observed = time.monotonic()
        report = self.http.get(f"/incidents/{incident_id}/report").json()
        stored = _seconds(report["reported_at"]) - _seconds(report["created_at"])
        return stored, observed - accepted, report, accepted - posted

    def many(self, n: int, concurrency: int) -> tuple[list[tuple[float, float, dict[str, Any], float] | None], float, float]:
        """Results (None for a lost report), wall seconds and process CPU seconds of `n` alerts."""
        started, cpu = time.monotonic(), time.process_time()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            results = list(pool.map(lambda _: self.one(), range(n)))
        return results, time.monotonic() - started, time.process_time() - cpu


def _round_figures(answers: list[tuple[float, float, dict[str, Any], float] | None], elapsed: float,
                   cpu: float) -> dict[str, float]:
    results = [answer for answer in answers if answer is not None]
    stored = [r[0] * 1000 for r in results]
    client = [r[1] * 1000 for r in results]
    agents, correlate, report = zip(*(stages(r[2]) for r in results))
    return {"p50_ms": percentile(stored, 50), "p95_ms": percentile(stored, 95), "max_ms": max(stored),
            "client_p50_ms": percentile(client, 50), "client_p95_ms": percentile(client, 95),
            "accept_p50_ms": percentile([r[3] * 1000 for r in results], 50),
            "throughput_per_s": len(results) / elapsed, "cpu_ms_per_incident": cpu / len(results) * 1000,
            "agents_p50_ms": statistics.median(agents) * 1000,
            "correlate_p50_ms": statistics.median(correlate) * 1000, "report_p50_ms": statistics.median(report) * 1000,
            "lost": len(answers) - len(results)}


def measure(backend: str, sources: str, settings: Settings, template: dict[str, Any], n: int,
            concurrency: int, repeat: int = 1) -> Figures:
    """One warm-up alert, then `repeat` rounds of `n`; each figure is the median over the rounds."""
    rounds = []
    with Driver(settings, template) as driver:
        warm_up = driver.one()
        for _ in range(repeat):
            answers, elapsed, cpu = driver.many(n, concurrency)
            rounds.append(_round_figures(answers, elapsed, cpu))
    last = next(answer for answer in reversed(answers) if answer is not None)
    causes = last[2].get("causes") or []
    medians = {key: round(statistics.median(r[key] for r in rounds), 1) for key in rounds[0]}
    medians["max_ms"] = round(max(r["max_ms"] for r in rounds), 1)
    medians["lost"] = sum(r["lost"] for r in rounds)
    return Figures(backend=backend, sources=sources, n=n * repeat, concurrency=concurrency,
                   first_ms=round(warm_up[0] * 1000, 1) if warm_up else float("nan"), top_cause=causes[0]["component"] if causes else "-", **medians)


def scenario_settings(folder: Path, database_url: str | None) -> tuple[Settings, str]:
    """Settings like `sreo demo`: Kubernetes snapshot, metrics file and the logs ingested into search."""
    written = scenario.write(folder / "scenario")
    settings = Settings(home=folder / "store", kube_snapshot=written.snapshot, metrics_files=str(written.metrics),
                        database_url=database_url, opensearch_url=None, prometheus_url=None, api_tokens=None,
                        correlation_deadline_s=60, agent_timeout_s=30)
    backend = get_search_backend(settings)
    started, lines = time.perf_counter(), 0
    try:
        for path, service in written.logs:
            lines += ingest_file(path, backend, service=service or None).indexed
    finally:
        backend.close()
    seconds = time.perf_counter() - started
    return settings, (f"ingest of the scenario's logs: {lines} lines in {seconds * 1000:.0f} ms "
                      f"({lines / seconds:,.0f} lines/s, SQLite FTS5)")


def bare_settings(folder: Path, database_url: str | None) -> tuple[Settings, str]:
    return Settings(home=folder / "store", database_url=database_url, opensearch_url=None, prometheus_url=None,
                    metrics_files=None, kube_snapshot=None, api_tokens=None, correlation_deadline_s=60,
                    agent_timeout_s=30), ""


@contextmanager
def database_urls(backends: list[str]) -> Iterator[dict[str, Any]]:
    """backend name -> a factory of fresh database URLs (None = embedded SQLite)."""
    with ExitStack() as stack:
        factories: dict[str, Any] = {}
        for name in backends:
            if name == "sqlite":
                factories[name] = lambda: None
            elif name == "postgres":
                sys.path.insert(0, str(REPO_ROOT / "tests"))
                from support.servers import postgres

                server = stack.enter_context(postgres(max_connections=200))
                factories[name] = server.create_database
            else:
                raise SystemExit(f"unknown backend {name!r}")
        yield factories


def table(rows: list[Figures]) -> str:
    head = ("| store | sources | n | conc. | p50 ms | p95 ms | max ms | client p50 | client p95 | accept p50 | first ms "
            "| incidents/s | CPU ms/incident | agents p50 | correlate p50 | report p50 | lost | top cause |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        lines.append(f"| {r.backend} | {r.sources} | {r.n} | {r.concurrency} | {r.p50_ms:.0f} | {r.p95_ms:.0f} "
                     f"| {r.max_ms:.0f} | {r.client_p50_ms:.0f} | {r.client_p95_ms:.0f} | {r.accept_p50_ms:.0f} | {r.first_ms:.0f} "
                     f"| {r.throughput_per_s:.1f} | {r.cpu_ms_per_incident:.0f} | {r.agents_p50_ms:.0f} "
                     f"| {r.correlate_p50_ms:.0f} | {r.report_p50_ms:.0f} | {r.lost} | {r.top_cause} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20, help="alerts per round (after one warm-up alert)")
    parser.add_argument("--concurrency", type=int, default=1, help="alerts in flight at once")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of --n alerts; figures are medians of rounds")
    parser.add_argument("--backends", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args(argv)
    logging.getLogger("mcp").setLevel(logging.WARNING)  # tools that find nothing log at INFO
    rows: list[Figures] = []
    notes: list[str] = []
    started_load = os.getloadavg()[0]
    with database_urls([b.strip() for b in args.backends.split(",") if b.strip()]) as factories:
        for backend, fresh_url in factories.items():
            for sources, make_settings in (("none (baseline)", bare_settings), ("local", scenario_settings)):
                with tempfile.TemporaryDirectory(prefix="sreo-bench-") as folder:
                    settings, note = make_settings(Path(folder), fresh_url())
                    notes += [note] if note else []
                    template = json.loads(scenario.write(Path(folder) / "alert").alert.read_text())
                    rows.append(measure(backend, sources, settings, template, args.n, args.concurrency,
                                        args.repeat))
                print(f"  done: {backend}, sources {sources}", file=sys.stderr)
    if args.json:
        print(json.dumps({"rows": [asdict(r) for r in rows], "notes": notes}, indent=2))
        return
    print(f"pipeline latency, accepted alert -> stored report; python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {started_load:.1f} at start, {os.getloadavg()[0]:.1f} at end; "
          f"medians of {args.repeat} rounds of {args.n}")
    print(table(rows))
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
