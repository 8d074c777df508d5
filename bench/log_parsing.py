"""Log parsing on the Loghub dev systems: timestamps read right, and template grouping accuracy beside Drain3.

    python bench/log_parsing.py [--data-root ../shared/data] [--json]

Ground truth is Loghub's `*_structured.csv` for each system: the time columns for timestamps, the EventId
column for grouping. Grouping accuracy is Loghub's: a line counts when the set of lines in its mined group is
exactly the set of lines in its true event. Drain3 runs with its default configuration in the same run.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from functions._platform.domains.logs.source.ingest import prepare
from functions._platform.domains.logs.source.parsers import ParseContext
from functions._platform.domains.logs.source.reader import RecordReader

# how each system's structured CSV spells the time of a line (None: that part is not written in the line)
TRUTH = {
    "Apache": (("Time",), "%a %b %d %H:%M:%S %Y"),
    "BGL": (("Time",), "%Y-%m-%d-%H.%M.%S.%f"),
    "HDFS": (("Date", "Time"), "%y%m%d %H%M%S"),
    "Hadoop": (("Date", "Time"), "%Y-%m-%d %H:%M:%S,%f"),
    "OpenSSH": (("Date", "Day", "Time"), "%b %d %H:%M:%S"),
    "Spark": (("Date", "Time"), "%y/%m/%d %H:%M:%S"),
    "Zookeeper": (("Date", "Time"), "%Y-%m-%d %H:%M:%S,%f"),
}


def truth_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_time(system: str, row: dict) -> tuple[datetime, bool]:
    columns, layout = TRUTH[system]
    stamp = datetime.strptime(" ".join(row[c] for c in columns), layout)
    return stamp, "%Y" in layout or "%y" in layout


def timestamps(system: str, raw: Path, rows: list[dict]) -> dict:
    fmt, context = prepare(raw, "auto", None, ParseContext(now=datetime(2026, 1, 1, tzinfo=UTC)))
    reader = RecordReader(fmt, context, datetime(2026, 1, 1, tzinfo=UTC))
    lines = raw.read_text(encoding="utf-8", errors="replace").splitlines()
    per_line: list[datetime | None] = [None] * len(lines)
    entries = list(reader.read(lines))
    for entry in entries:
        for offset in range(entry.line_count):
            per_line[entry.line_no - 1 + offset] = entry.record.timestamp
    right = 0
    for row, got in zip(rows, per_line, strict=False):
        want, has_year = expected_time(system, row)
        if got is None:
            continue
        got = got.replace(tzinfo=None)
        if not has_year:
            got = got.replace(year=1900)
        right += got == want
    stats = reader.stats
    return {"lines": len(lines), "format": fmt, "right": right, "share_right": round(right / len(rows), 4),
            "untimed": stats.untimed, "joined": stats.joined, "format_share": stats.format_share()}


def group_accuracy(truth: list[str], mined: list[str]) -> float:
    """Loghub's grouping accuracy: the share of lines whose mined group equals their true group as a set."""
    by_truth: dict[str, set[int]] = defaultdict(set)
    by_mined: dict[str, set[int]] = defaultdict(set)
    for i, (t, m) in enumerate(zip(truth, mined, strict=True)):
        by_truth[t].add(i)
        by_mined[m].add(i)
    right = sum(len(lines) for lines in by_mined.values()
                if by_truth[truth[next(iter(lines))]] == lines)
    return right / len(truth)


def drain3_groups(contents: list[str]) -> list[str]:
    from drain3 import TemplateMiner
    from drain3.template_miner_config import TemplateMinerConfig

    config = TemplateMinerConfig()
    config.profiling_enabled = False
    miner = TemplateMiner(config=config)
    return [str(miner.add_log_message(text)["cluster_id"]) for text in contents]


def our_groups(contents: list[str]) -> list[str]:
    from functions._platform.domains.logs.source.mining import TemplateMiner

    miner = TemplateMiner()
    return [str(miner.add(text)) for text in contents]


def grouping(rows: list[dict]) -> dict:
    contents = [row["Content"] for row in rows]
    truth = [row["EventId"] for row in rows]
    started = time.perf_counter()
    ours = group_accuracy(truth, our_groups(contents))
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    drain = group_accuracy(truth, drain3_groups(contents))
    drain_s = time.perf_counter() - started
    return {"ours": round(ours, 4), "drain3_default": round(drain, 4),
            "ours_s": round(ours_s, 3), "drain3_s": round(drain_s, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", type=Path, default=REPO / ".." / "shared" / "data")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-grouping", action="store_true")
    args = parser.parse_args()
    raw_dir = args.data_root / "loghub" / "dev" / "raw"
    results = {}
    for system in TRUTH:
        raw = raw_dir / f"{system}_2k.log"
        rows = truth_rows(raw_dir / f"{system}_2k.log_structured.csv")
        result = {"timestamps": timestamps(system, raw, rows)}
        if not args.skip_grouping:
            result["grouping"] = grouping(rows)
        results[system] = result
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'system':<10} {'format':<8} {'ts right':>9} {'untimed':>8} {'group ours':>11} {'drain3':>7}")
    for system, result in results.items():
        ts, grp = result["timestamps"], result.get("grouping", {})
        print(f"{system:<10} {ts['format']:<8} {ts['share_right']:>9.2%} {ts['untimed']:>8} "
              f"{grp.get('ours', float('nan')):>11.3f} {grp.get('drain3_default', float('nan')):>7.3f}")


if __name__ == "__main__":
    main()
