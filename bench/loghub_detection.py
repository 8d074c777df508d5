"""Log detection on real public logs: brute-force sources (OpenSSH), alert lines (BGL), false alarms of the
error-spike detector on a normal access log (elastic), and throughput including ingest.

    python bench/loghub_detection.py [--data-root ../shared/data]

Each figure is printed beside a simple baseline computed in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.registry import analyzers
from functions._platform.domains.auth.analyzers.attempts import classify
from functions._platform.domains.auth.analyzers.brute_force import BruteForce
from functions._platform.domains.logs.analyzers.severity import is_alert_line
from functions._platform.domains.logs.analyzers.windows import windows_before
from functions._platform.domains.logs.source.ingest import ingest_file
from functions._platform.domains.logs.source.parsers import ParseContext, get_parser
from functions._platform.domains.logs.source.store import LogStore
from functions._platform.search.sqlite_fts import SqliteFtsBackend

# A source counts as brute-forcing when it failed at least this many passwords in the file: fail2ban's
# default maxretry. The detector does not use this rule: it looks for bursts within 10 minutes or many
# failures over the whole window.
EXPECTED_MIN_FAILURES = 5


def precision_recall(flagged: set, expected: set) -> tuple[float, float]:
    hits = len(flagged & expected)
    return (hits / len(flagged) if flagged else 0.0), (hits / len(expected) if expected else 0.0)


def ingest_and_read(path: Path, service: str, workdir: Path, fmt: str = "auto", now: datetime | None = None):
    backend = SqliteFtsBackend(workdir / f"{service}.db")
    started = time.perf_counter()
    stats = ingest_file(path, backend, service=service, fmt=fmt, context=ParseContext(now=now or datetime.now(UTC)))
    store = LogStore(backend)
    records, _ = store.records(service, datetime(1970, 1, 2, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC),
                               limit=1_000_000)
    return backend, store, records, stats, time.perf_counter() - started


def openssh(root: Path, workdir: Path) -> dict:
    raw = root / "loghub/dev/raw/OpenSSH_2k.log"
    expected_doc = json.loads((root / "loghub/dev/openssh_2k_expected.json").read_text())
    expected = {p["ip"] for p in expected_doc["per_ip"] if p.get("failed_password_total", 0) >= EXPECTED_MIN_FAILURES}
    backend, _, records, stats, ingest_s = ingest_and_read(raw, "sshd", workdir)
    started = time.perf_counter()
    context = windows_before(records[0].timestamp, records[-1].timestamp + timedelta(seconds=1))
    flagged = {f.evidence["source_ip"] for f in BruteForce().analyze(records, context)}
    analyse_s = time.perf_counter() - started
    baseline = {r.source_ip for r in records if r.source_ip and "Failed password" in r.message}
    any_failure = {a.source_ip for a in map(classify, records) if a and a.outcome == "failure" and a.source_ip}
    backend.close()
    return {
        "expected_sources": len(expected),
        "detector": dict(zip(("precision", "recall"), precision_recall(flagged, expected)), flagged=len(flagged)),
        "baseline_any_failed_password": dict(zip(("precision", "recall"), precision_recall(baseline, expected)),
                                             flagged=len(baseline)),
        "baseline_any_auth_failure": dict(zip(("precision", "recall"), precision_recall(any_failure, expected)),
                                          flagged=len(any_failure)),
        "missed": sorted(expected - flagged), "extra": sorted(flagged - expected),
        "lines": stats.indexed, "seconds": ingest_s + analyse_s,
    }


def bgl(root: Path) -> dict:
    lines = (root / "loghub/dev/raw/BGL_2k.log").read_text(encoding="utf-8", errors="replace").splitlines()
    labels = [json.loads(line)["is_alert"] for line in (root / "loghub/dev/bgl_2k_labels.jsonl").open()]
    parser, context = get_parser("text"), ParseContext(default_service="bgl")
    started = time.perf_counter()
    records = [parser.parse(line, context) for line in lines]
    flagged = {i for i, r in enumerate(records) if r is not None and is_alert_line(r)}
    seconds = time.perf_counter() - started
    fatal = {i for i, r in enumerate(records) if r is not None and r.level == "fatal"}
    expected = {i for i, alert in enumerate(labels) if alert}
    return {
        "alerts": len(expected),
        "detector": dict(zip(("precision", "recall"), precision_recall(flagged, expected)), flagged=len(flagged)),
        "baseline_every_fatal": dict(zip(("precision", "recall"), precision_recall(fatal, expected)),
                                     flagged=len(fatal)),
        "lines": len(lines), "seconds": seconds,
    }


def elastic(root: Path, workdir: Path) -> dict:
    raw = root / "http/dev/elastic_apache_logs.log"
    backend, _, records, stats, ingest_s = ingest_and_read(raw, "web", workdir, fmt="combined")
    started = time.perf_counter()
    first = records[0].timestamp.replace(minute=0, second=0, microsecond=0)
    windows = alarms = naive = 0
    alarm_kinds: dict[str, int] = {}
    at = first + timedelta(hours=6)
    while at < records[-1].timestamp:
        context: AnalysisContext = windows_before(at, at + timedelta(hours=1))
        scoped = [r for r in records if context.baseline.start <= r.timestamp < context.window.end]
        findings = [f for analyzer in analyzers("logs") if analyzer.kind == "error_rate_spike"
                    for f in analyzer.analyze(scoped, context)]
        others = [f for analyzer in analyzers("logs") if analyzer.kind != "error_rate_spike"
                  for f in analyzer.analyze(scoped, context)]
        for finding in others:
            alarm_kinds[finding.kind] = alarm_kinds.get(finding.kind, 0) + 1
        windows += 1
        alarms += bool(findings)
        naive += any(r.status and r.status >= 500 for r in scoped if r.timestamp >= context.window.start)
        at += timedelta(hours=1)
    analyse_s = time.perf_counter() - started
    backend.close()
    return {"hourly_windows": windows, "error_rate_spike_false_alarms": alarms,
            "baseline_any_5xx_alarms": naive, "other_log_findings": alarm_kinds,
            "lines": stats.indexed, "skipped_lines": stats.skipped, "ingest_seconds": ingest_s,
            "analysis_seconds": analyse_s}


def throughput(root: Path, workdir: Path) -> dict:
    """Lines per second for ingest + read back + every log analyzer once over the whole file."""
    raw = root / "http/dev/elastic_apache_logs.log"
    started = time.perf_counter()
    backend, _, records, stats, _ = ingest_and_read(raw, "web2", workdir, fmt="combined")
    context = windows_before(records[len(records) // 2].timestamp, records[-1].timestamp + timedelta(seconds=1))
    for analyzer in analyzers("logs"):
        analyzer.analyze(records, context)
    seconds = time.perf_counter() - started
    backend.close()
    return {"lines": stats.indexed, "seconds": round(seconds, 3), "lines_per_second": round(stats.indexed / seconds)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", type=Path, default=REPO / "../shared/data")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    root = args.data_root.resolve()
    needed = [root / "loghub/dev/raw/OpenSSH_2k.log", root / "loghub/dev/raw/BGL_2k.log",
              root / "http/dev/elastic_apache_logs.log"]
    absent = [str(p) for p in needed if not p.exists()]
    if absent:
        print(f"no evaluation data; looked for: {', '.join(absent)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        figures = {"openssh_brute_force": openssh(root, workdir), "bgl_alert_lines": bgl(root),
                   "elastic_error_spike": elastic(root, workdir), "throughput": throughput(root, workdir)}
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
        return 0
    ssh, alerts, web, speed = (figures[k] for k in ("openssh_brute_force", "bgl_alert_lines",
                                                     "elastic_error_spike", "throughput"))
    print(f"OpenSSH brute force ({ssh['expected_sources']} sources with >= {EXPECTED_MIN_FAILURES} failed passwords)")
    for name in ("detector", "baseline_any_failed_password", "baseline_any_auth_failure"):
        row = ssh[name]
        print(f"  {name:30s} precision {row['precision']:.2f}  recall {row['recall']:.2f}  flagged {row['flagged']}")
    print(f"  missed {ssh['missed']}  extra {ssh['extra']}")
    print(f"BGL alert lines ({alerts['alerts']} labelled)")
    for name in ("detector", "baseline_every_fatal"):
        row = alerts[name]
        print(f"  {name:30s} precision {row['precision']:.2f}  recall {row['recall']:.2f}  flagged {row['flagged']}")
    print(f"elastic access log ({web['lines']} lines, {web['skipped_lines']} unparsed, {web['hourly_windows']} "
          "hourly windows, each against the 6 h before)")
    print(f"  error_rate_spike false alarms {web['error_rate_spike_false_alarms']}  "
          f"(baseline 'any 5xx in the hour': {web['baseline_any_5xx_alarms']})  other findings {web['other_log_findings']}")
    print(f"throughput: {speed['lines_per_second']} lines/s ({speed['lines']} lines, ingest into SQLite FTS5 + "
          f"read back + every log analyzer, {speed['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
