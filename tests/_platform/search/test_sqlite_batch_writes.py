"""Batched writes of the SQLite FTS5 backend: upserts, duplicates within a batch, atomic batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from functions._platform.search import LOGS_INDEX
from functions._platform.search.sqlite_fts import SqliteFtsBackend

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def line(n: int, message: str, **extra: object) -> dict:
    return {"_id": f"line-{n}", "timestamp": T0 + timedelta(seconds=n), "service": "api", "message": message,
            "raw": message, **extra}


@pytest.fixture
def store(tmp_path: Path):
    backend = SqliteFtsBackend(tmp_path / "search.db")
    yield backend
    backend.close()


def test_a_later_copy_of_an_id_in_the_same_batch_wins(store: SqliteFtsBackend) -> None:
    written = store.index_documents(LOGS_INDEX, [line(1, "alpha first"), line(2, "beta"), line(1, "gamma last")])
    assert written == 3
    assert store.count(LOGS_INDEX) == 2
    assert store.count(LOGS_INDEX, "alpha") == 0
    assert [h.source["message"] for h in store.search(LOGS_INDEX, "gamma")] == ["gamma last"]


def test_reindexing_a_batch_leaves_one_text_row_per_document(store: SqliteFtsBackend) -> None:
    docs = [line(n, f"request {n} failed with status {500 + n % 3}", status=500 + n % 3) for n in range(300)]
    store.index_documents(LOGS_INDEX, docs)
    store.index_documents(LOGS_INDEX, docs)
    assert store.count(LOGS_INDEX) == 300
    assert store.count(LOGS_INDEX, "failed") == 300
    assert store.count(LOGS_INDEX, filters={"status": 501}) == 100
    store.index_documents(LOGS_INDEX, [line(7, "recovered", status=200)])
    assert store.count(LOGS_INDEX, "failed") == 299
    assert [h.id for h in store.search(LOGS_INDEX, "recovered")] == ["line-7"]
    assert store.count(LOGS_INDEX, filters={"status": 200}) == 1


def test_a_bad_document_writes_nothing_of_its_batch(store: SqliteFtsBackend) -> None:
    store.index_documents(LOGS_INDEX, [line(0, "kept")])
    with pytest.raises(ValueError):
        store.index_documents(LOGS_INDEX, [line(1, "lost"), {"service": "api", "message": "no time"}])
    assert [h.id for h in store.scan(LOGS_INDEX)] == ["line-0"]
    assert store.count(LOGS_INDEX, "lost") == 0


def test_search_and_scan_return_the_stored_sources(store: SqliteFtsBackend) -> None:
    store.index_documents(LOGS_INDEX, [line(n, f"message {n}", user=f"u{n}") for n in range(5)])
    hits = store.search(LOGS_INDEX, None, k=10)
    assert [h.id for h in hits] == [f"line-{n}" for n in reversed(range(5))]
    assert [h.source["user"] for h in hits] == [f"u{n}" for n in reversed(range(5))]
    assert sorted(h.source["message"] for h in store.scan(LOGS_INDEX)) == [f"message {n}" for n in range(5)]
    assert store.search(LOGS_INDEX, "nothing-matches") == []


def test_equal_times_come_back_in_the_order_they_were_written(store: SqliteFtsBackend) -> None:
    same_time = [{**line(0, f"tick {n}"), "_id": f"tick-{n}"} for n in range(12)]
    store.index_documents(LOGS_INDEX, same_time[:7])
    store.index_documents(LOGS_INDEX, same_time[7:])
    store.index_documents(LOGS_INDEX, [same_time[3]])  # a re-written document keeps its place
    assert [h.id for h in store.search(LOGS_INDEX, None, k=20)] == [f"tick-{n}" for n in range(12)]
    assert [h.id for h in store.search(LOGS_INDEX, "tick", k=20)] == [f"tick-{n}" for n in range(12)]


def test_the_text_index_matches_the_table_after_upserts_and_deletes(store: SqliteFtsBackend) -> None:
    store.index_documents(LOGS_INDEX, [line(n, f"disk {n} full", level="error") for n in range(50)])
    store.index_documents(LOGS_INDEX, [line(n, f"disk {n} cleaned") for n in range(0, 50, 2)])
    store.delete_documents(LOGS_INDEX, {"level": "error"})
    assert store.count(LOGS_INDEX) == 25
    assert store.count(LOGS_INDEX, "full") == 0
    assert store.count(LOGS_INDEX, "cleaned") == 25
    store._conn.execute("INSERT INTO search_sreo_logs_fts (search_sreo_logs_fts, rank) VALUES ('integrity-check', 1)")


def test_a_text_with_a_nul_character_is_stored_whole(store: SqliteFtsBackend) -> None:
    texts = ["read 4 bytes: \x00\x00\x01 then garbage", "ünïcode 日本 \U0001F600 and \"quotes\" \\ kept"]
    store.index_documents(LOGS_INDEX, [line(n, text) for n, text in enumerate(texts)] + [line(5, "plain")])
    assert {h.id: h.source["raw"] for h in store.scan(LOGS_INDEX)} == {
        "line-0": texts[0], "line-1": texts[1], "line-5": "plain"}
    assert [h.id for h in store.search(LOGS_INDEX, "garbage")] == ["line-0"]
    assert [h.id for h in store.search(LOGS_INDEX, None, k=5)] == ["line-5", "line-1", "line-0"]
