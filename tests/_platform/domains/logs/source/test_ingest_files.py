"""Several files ingested as one pipeline store what one ingest per file stores, with one summary per file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

from functions._platform.domains.logs.source import ingest, parse_process
from functions._platform.search import LOGS_INDEX
from functions._platform.search.sqlite_fts import SqliteFtsBackend


def write_log(path: Path, lines: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for n in range(lines):
            handle.write(f"2026-02-01 08:{n // 3600 % 60:02d}:{n // 60 % 60:02d},{n % 1000:03d} "
                         f"{('INFO', 'WARN', 'ERROR')[n % 3]} [worker-{n % 4}] request {n * 7919 % 10**6} took {n % 97} ms\n")
            if n % 500 == 7:
                handle.write("java.lang.IllegalStateException: pool exhausted\n\tat com.example.Pool.take(Pool.java:42)\n")
    return path


def logs(tmp_path: Path) -> list[Path]:
    java = write_log(tmp_path / "worker.log", 7_000)  # two batches, a stack trace every 500 lines
    syslog = tmp_path / "auth.log"
    syslog.write_text("".join(f"Mar  1 08:{n // 60:02d}:{n % 60:02d} bastion sshd[{100 + n}]: Failed password for "
                              f"root from 10.0.0.{n % 7} port 22 ssh2\n" for n in range(3_000)))
    untimed = tmp_path / "plain.txt"
    untimed.write_text("".join(f"job step {n} finished\n" for n in range(40)))
    return [java, syslog, untimed]


def stored(tmp_path: Path, files: list[Path], name: str, together: bool, apart: bool) -> tuple[list, list]:
    backend = SqliteFtsBackend(tmp_path / f"{name}.db")
    try:
        if together:
            stats = ingest.ingest_files(files, backend, parse_apart=apart)
        else:
            stats = [ingest.ingest_file(path, backend, parse_apart=apart) for path in files]
        hits = backend.search(LOGS_INDEX, None, k=20_000)
        return [s.summary() for s in stats], sorted((h.id, json.dumps(h.source, sort_keys=True)) for h in hits)
    finally:
        backend.close()


@pytest.mark.parametrize("apart", [False, True], ids=["threads", "second-process"])
def test_one_pipeline_stores_what_one_ingest_per_file_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             apart: bool) -> None:
    if apart and not parse_process.available():
        pytest.skip("parsing apart needs fork")
    monkeypatch.setattr(ingest, "PARSE_APART_BYTES", 0)
    files = logs(tmp_path)
    each, each_stored = stored(tmp_path, files, "each", together=False, apart=apart)
    together, together_stored = stored(tmp_path, files, "together", together=True, apart=apart)
    assert together == each
    assert together_stored == each_stored
    assert [(s["file"], s["format"], s["indexed"]) for s in together] == [
        ("worker.log", each[0]["format"], each[0]["records"]), ("auth.log", "syslog", 3_000), ("plain.txt", "text", 40)]
    assert sum(s["indexed"] for s in together) == len(together_stored)


def test_cli_takes_several_files_and_prints_a_summary_line_per_file(tmp_path: Path) -> None:
    files = logs(tmp_path)
    env = {key: value for key, value in os.environ.items() if key not in ("SREO_DATABASE_URL", "SREO_OPENSEARCH_URL")}
    env["SREO_HOME"] = str(tmp_path / "home")
    done = subprocess.run([sys.executable, "-m", "functions._local.cli", "logs", "ingest", *map(str, files), "--json"],
                          capture_output=True, text=True, env=env, cwd=REPO_ROOT, check=True)
    summaries = [json.loads(line) for line in done.stdout.splitlines()]
    assert [s["file"] for s in summaries] == ["worker.log", "auth.log", "plain.txt"]
    assert [s["services"] for s in summaries][1:] == [{"sshd": 3_000}, {"plain": 40}]
    assert "records from" in done.stderr and "in 3 files" in done.stderr
