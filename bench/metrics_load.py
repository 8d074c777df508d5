"""Loading metric files: a 72k-line OpenMetrics backfill file against the same samples as CSV, in one run.

    python bench/metrics_load.py [--lines 72000] [--repeat 3]

The OpenMetrics file looks like an export of a real scrape: per pod and scrape, a latency histogram whose
`_bucket`, `_count` and `_sum` lines are interleaved, fractional bucket counts (rates written as counts), a
gauge and a counter, timestamps in seconds, `# EOF` at the end, and a few lines that do not parse. The CSV holds
exactly the samples that parse, one per row (`timestamp,metric,service,pod,le,value`), and so does a wide CSV
(one row per pod and scrape, a `name{le="..."}` column per series). All are loaded through
the product's metrics source (`load_metric_files`, then the per-series sample times the offline provider keeps),
and the best of `--repeat` runs is printed for each.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from functions._platform.domains.metrics.source.files import load_metric_files
from functions._platform.domains.metrics.source.offline import sample_times

SERVICES = ("frontend", "checkout", "cart", "payments", "shipping", "catalog")
PODS_PER_SERVICE = 2
BUCKETS = ("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf")
SCRAPE_S = 15
START = 1_773_484_200  # 2026-03-14T10:30:00Z
BAD_LINES = ('http_requests_total{service="cart",pod="cart-0" 17 1773484200',
             'process_open_fds{service="cart"} twelve 1773484200',
             "not a sample at all")
LINES_PER_POD_SCRAPE = len(BUCKETS) + 4  # buckets, _count, _sum, a gauge, a counter


def samples(lines: int, seed: int = 7):
    """(metric, service, pod, le, timestamp, value) in file order: per scrape, per pod, the histogram's lines
    interleaved, then the gauge and the counter."""
    rng = random.Random(seed)
    pods = [(service, f"{service}-{n}") for service in SERVICES for n in range(PODS_PER_SERVICE)]
    scrapes = max(1, lines // (len(pods) * LINES_PER_POD_SCRAPE))
    totals = {pod: 0.0 for _, pod in pods}
    for scrape in range(scrapes):
        at = START + scrape * SCRAPE_S
        for service, pod in pods:
            rate = rng.uniform(20, 40)
            totals[pod] += rate * SCRAPE_S
            cumulative = 0.0
            for le in BUCKETS:
                cumulative += rate * rng.uniform(0.0, 0.2) if le != "+Inf" else 0.0
                value = rate if le == "+Inf" else min(rate, cumulative)
                yield "http_request_duration_seconds_bucket", service, pod, le, at, round(value, 3)
            yield "http_request_duration_seconds_count", service, pod, "", at, round(rate, 3)
            yield "http_request_duration_seconds_sum", service, pod, "", at, round(rate * 0.07, 4)
            yield "container_memory_working_set_bytes", service, pod, "", at, float(rng.randint(2**27, 2**28))
            yield "http_requests_total", service, pod, "", at, round(totals[pod], 1)


def _column(metric: str, le: str) -> str:
    return f'{metric}{{le="{le}"}}' if le else metric


def write_wide(path: Path, lines: int) -> None:
    rows: dict[tuple[int, str, str], dict[str, float]] = {}
    for metric, service, pod, le, at, value in samples(lines):
        rows.setdefault((at, service, pod), {})[_column(metric, le)] = value
    columns = list(next(iter(rows.values())))
    with path.open("w", newline="", encoding="utf-8") as table:
        out = csv.writer(table)
        out.writerow(["timestamp", "service", "pod", *columns])
        for (at, service, pod), values in rows.items():
            out.writerow([at, service, pod, *(values[c] for c in columns)])


def write_files(folder: Path, lines: int) -> tuple[Path, Path, int]:
    """The OpenMetrics file and the (long) CSV of the same samples; the number of OpenMetrics lines written."""
    text_path, csv_path = folder / "metrics.om.txt", folder / "metrics.csv"
    written = 0
    with text_path.open("w", encoding="utf-8") as text, csv_path.open("w", newline="", encoding="utf-8") as table:
        rows = csv.writer(table)
        rows.writerow(["timestamp", "metric", "service", "pod", "le", "value"])
        for family, kind in (("http_request_duration_seconds", "histogram"),
                             ("container_memory_working_set_bytes", "gauge"), ("http_requests", "counter")):
            text.write(f"# TYPE {family} {kind}\n# HELP {family} {family.replace('_', ' ')}.\n")
            written += 2
        bad = iter(BAD_LINES)
        for n, (metric, service, pod, le, at, value) in enumerate(samples(lines)):
            bucket = f',le="{le}"' if le else ""
            text.write(f'{metric}{{service="{service}",pod="{pod}"{bucket}}} {value} {at}\n')
            rows.writerow([at, metric, service, pod, le, value])
            written += 1
            if n % 20_000 == 19_999 and (line := next(bad, None)):
                text.write(line + "\n")
                written += 1
        text.write("# EOF\n")
    return text_path, csv_path, written + 1


def load(path: Path) -> tuple[float, int, int]:
    started = time.perf_counter()
    series = load_metric_files([path])
    sample_times(series)
    return time.perf_counter() - started, len(series), sum(len(s.points) for s in series)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=72_000, help="OpenMetrics sample lines to write")
    parser.add_argument("--repeat", type=int, default=3, help="loads per file; the best is printed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        text_path, csv_path, written = write_files(Path(tmp), args.lines)
        wide_path = Path(tmp) / "metrics.wide.csv"
        write_wide(wide_path, args.lines)
        results = {}
        for label, path in (("OpenMetrics", text_path), ("CSV", csv_path), ("wide CSV", wide_path)):
            runs = [load(path) for _ in range(max(1, args.repeat))]
            results[label] = (min(r[0] for r in runs), runs[0][1], runs[0][2])
    (om_s, om_series, om_points), (csv_s, csv_series, csv_points) = results["OpenMetrics"], results["CSV"]
    wide_s, wide_series, wide_points = results["wide CSV"]
    print(f"OpenMetrics {written} lines ({len(BAD_LINES)} bad): {om_s:.2f} s, {om_series} series, {om_points} samples")
    print(f"CSV, the same samples, one per row: {csv_s:.2f} s, {csv_series} series, {csv_points} samples")
    print(f"wide CSV, the same samples:         {wide_s:.2f} s, {wide_series} series, {wide_points} samples")
    print(f"OpenMetrics / CSV: {om_s / csv_s:.2f}x, OpenMetrics / wide CSV: {om_s / wide_s:.2f}x "
          f"(best of {args.repeat} loads each)")
    if not (om_series, om_points) == (csv_series, csv_points) == (wide_series, wide_points):
        print("the two files did not load the same samples", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
