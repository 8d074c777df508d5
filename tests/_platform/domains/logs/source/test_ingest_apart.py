"""Parsing in a second process stores what parsing in this one does, and a failed parse still fails the ingest."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from functions._platform.domains.logs.source import ingest, parse_process
from functions._platform.domains.logs.source.parsers import ParseContext
from functions._platform.search import LOGS_INDEX
from functions._platform.search.sqlite_fts import SqliteFtsBackend

NOW = datetime(2026, 3, 1, tzinfo=UTC)

pytestmark = pytest.mark.skipif(not parse_process.available(), reason="parsing apart needs fork")


def write_log(path: Path, lines: int) -> Path:
    rng = random.Random(3)
    start = datetime(2026, 2, 1, 8, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as handle:
        for n in range(lines):
            stamp = (start + timedelta(milliseconds=250 * (n // 3))).strftime("%Y-%m-%d %H:%M:%S,%f")[:-3]
            level = rng.choice(["INFO", "INFO", "WARN", "ERROR"])
            handle.write(f"{stamp} {level} [worker-{n % 4}] request {rng.randrange(10**6)} took {n % 97} ms\n")
            if n % 500 == 7:
                handle.write("java.lang.IllegalStateException: pool exhausted\n\tat com.example.Pool.take(Pool.java:42)\n")
    return path


def stored(tmp_path: Path, log: Path, apart: bool, monkeypatch: pytest.MonkeyPatch, name: str):
    monkeypatch.setattr(ingest, "PARSE_APART_BYTES", 0)
    backend = SqliteFtsBackend(tmp_path / f"{name}.db")
    stats = ingest.ingest_file(log, backend, context=ParseContext(now=NOW), parse_apart=apart)
    hits = backend.search(LOGS_INDEX, None, k=20_000)
    errors = [h.id for h in backend.search(LOGS_INDEX, "exhausted", k=100)]
    backend.close()
    return stats.summary(), stats.indexed, [(h.id, h.source) for h in hits], errors


def test_a_second_process_stores_the_same_records_in_the_same_order(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    log = write_log(tmp_path / "worker.log", 12_000)  # more than two batches
    here = stored(tmp_path, log, False, monkeypatch, "here")
    apart = stored(tmp_path, log, True, monkeypatch, "apart")
    assert apart[1] == here[1] == 12_000
    assert apart == here


def test_a_parse_that_fails_in_the_second_process_fails_the_ingest(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    log = write_log(tmp_path / "worker.log", 100)
    monkeypatch.setattr(ingest, "PARSE_APART_BYTES", 0)

    def broken(record, line_no: int) -> dict:
        raise UnicodeError(f"line {line_no} cannot be read")

    monkeypatch.setattr(ingest, "document", broken)
    backend = SqliteFtsBackend(tmp_path / "search.db")
    with pytest.raises(UnicodeError, match="line 1 cannot"):
        ingest.ingest_file(log, backend, context=ParseContext(now=NOW), parse_apart=True)
    assert backend.count(LOGS_INDEX) == 0
    backend.close()


def test_only_a_caller_that_asks_gets_a_second_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Servers (the MCP server, the functions) run other threads: they never fork."""
    log = write_log(tmp_path / "worker.log", 100)
    monkeypatch.setattr(ingest, "PARSE_APART_BYTES", 0)

    def forbidden(produce):
        raise AssertionError("forked without being asked")

    monkeypatch.setattr(parse_process, "run_apart", forbidden)
    backend = SqliteFtsBackend(tmp_path / "search.db")
    assert ingest.ingest_file(log, backend, context=ParseContext(now=NOW)).indexed == 100
    backend.close()
