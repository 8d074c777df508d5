"""Log ingest throughput and store size: `sreo logs ingest`'s path into SQLite FTS5, beside `wc -l` and plain
Drain3 on the same lines in the same run.

    python bench/log_ingest.py [--data-root ../shared/data] [--lines 100000 1000000]

`ingest l/s` ingests one file per call (`sreo logs ingest FILE` run per file); `all files` the same files in one
call (`sreo logs ingest *.log`: one pipeline, the next file parsed while the last batch of one is written).
`cpu us/line` is this process's CPU time over the one-call-per-file ingest (the writer, and the parser when it runs here);
`parse proc` that of the parsing processes it forked. Their larger one bounds the rate on two idle cores.

The lines are synthetic: each Loghub dev sample's lines repeated in order with every digit of the message
redrawn (the header and its time kept), so templates and layouts are real and lines rarely repeat. Each system goes into its own file, as it would.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from functions._platform.domains.logs.source.ingest import ingest_file, ingest_files
from functions._platform.search.sqlite_fts import SqliteFtsBackend

SYSTEMS = ("Apache", "BGL", "HDFS", "Hadoop", "OpenSSH", "Spark", "Zookeeper")
_DIGIT = re.compile(r"\d")


def synthesise(raw_dir: Path, total: int, out: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    files = []
    per_system = total // len(SYSTEMS)
    for system in SYSTEMS:
        lines = (raw_dir / f"{system}_2k.log").read_text(encoding="utf-8", errors="replace").splitlines()
        with (raw_dir / f"{system}_2k.log_structured.csv").open(encoding="utf-8", errors="replace") as handle:
            contents = [row["Content"] for row in csv.DictReader(handle)]
        path = out / f"{system.lower()}.log"
        with path.open("w", encoding="utf-8") as handle:
            for i in range(per_system):
                line, content = lines[i % len(lines)], contents[i % len(lines)]
                cut = line.rfind(content) if content else -1
                cut = cut if cut >= 0 else len(line)  # the header (and its time) stays; the message's digits change
                handle.write(line[:cut] + _DIGIT.sub(lambda _: str(rng.randrange(10)), line[cut:]) + "\n")
        files.append(path)
    return files


def store_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def run(files: list[Path], workdir: Path) -> dict:
    raw = sum(p.stat().st_size for p in files)
    lines = 0
    started = time.perf_counter()
    for path in files:
        lines += int(subprocess.run(["wc", "-l", str(path)], capture_output=True, text=True, check=True)
                     .stdout.split()[0])
    wc_s = time.perf_counter() - started

    from drain3 import TemplateMiner
    from drain3.template_miner_config import TemplateMinerConfig

    config = TemplateMinerConfig()
    config.profiling_enabled = False
    miner = TemplateMiner(config=config)
    started = time.perf_counter()
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                miner.add_log_message(line.rstrip("\n"))
    drain_s = time.perf_counter() - started

    db = workdir / "store.db"
    backend = SqliteFtsBackend(db)
    cpu, children = time.process_time(), _children_cpu()
    started = time.perf_counter()
    indexed = sum(ingest_file(path, backend, parse_apart=True).indexed for path in files)
    ingest_s = time.perf_counter() - started
    cpu, children = time.process_time() - cpu, _children_cpu() - children
    backend._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backend.close()

    together = SqliteFtsBackend(workdir / "together.db")  # `sreo logs ingest *.log`: one pipeline for all files
    started = time.perf_counter()
    indexed_together = sum(stats.indexed for stats in ingest_files(files, together, parse_apart=True))
    together_s = time.perf_counter() - started
    together.close()
    if indexed_together != indexed:
        raise SystemExit(f"one pipeline indexed {indexed_together} records, one call per file {indexed}")
    return {"lines": lines, "raw_bytes": raw, "indexed": indexed,
            "ingest_lines_per_s": round(lines / ingest_s), "store_bytes_per_raw_byte": round(store_bytes(db) / raw, 2),
            "ingest_all_files_lines_per_s": round(lines / together_s),
            "wc_l_lines_per_s": round(lines / wc_s), "drain3_lines_per_s": round(lines / drain_s),
            "cpu_us_per_line": round(cpu * 1e6 / lines, 1), "parse_process_cpu_us_per_line": round(children * 1e6 / lines, 1)}


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (the parsing processes of the ingest, and `wc`)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", type=Path, default=REPO / ".." / "shared" / "data")
    parser.add_argument("--lines", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    raw_dir = args.data_root / "loghub" / "dev" / "raw"
    print(f"{'lines':>9} {'ingest l/s':>11} {'all files':>10} {'store/raw':>10} {'wc -l l/s':>12} {'drain3 l/s':>11}"
          f" {'cpu us/line':>12} {'parse proc':>11}")
    for total in args.lines:
        workdir = Path(tempfile.mkdtemp(prefix="sreo-ingest-"))
        try:
            result = run(synthesise(raw_dir, total, workdir), workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        print(f"{result['lines']:>9} {result['ingest_lines_per_s']:>11} {result['ingest_all_files_lines_per_s']:>10} "
              f"{result['store_bytes_per_raw_byte']:>10} "
              f"{result['wc_l_lines_per_s']:>12} {result['drain3_lines_per_s']:>11} {result['cpu_us_per_line']:>12}"
              f" {result['parse_process_cpu_us_per_line']:>11}")


if __name__ == "__main__":
    main()
