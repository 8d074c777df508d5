"""The bulk loader: batches written in order, by the backend's split write when it has one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from functions._platform.search import LOGS_INDEX
from functions._platform.search.bulk import BulkLoader
from functions._platform.search.sqlite_fts import SqliteFtsBackend

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def batch(start: int, size: int) -> list[dict]:
    return [{"_id": f"line-{n}", "timestamp": T0 + timedelta(seconds=n), "service": "api", "message": f"event {n}",
             "raw": f"event {n}"} for n in range(start, start + size)]


class OnlyIndexDocuments:
    """A backend with no split write: the loader must fall back to `index_documents`."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def index_documents(self, index: str, docs: Iterable[Mapping[str, Any]]) -> int:
        ids = [doc["_id"] for doc in docs]
        if "line-13" in ids:
            raise RuntimeError("cluster refused the batch")
        self.batches.append(ids)
        return len(ids)


def test_every_batch_is_written_in_order_through_the_split_write(tmp_path: Path) -> None:
    store = SqliteFtsBackend(tmp_path / "search.db")
    with BulkLoader(store, LOGS_INDEX) as loader:
        for start in range(0, 30, 7):
            loader.add(batch(start, 7))
    assert loader.written == 35
    assert store.count(LOGS_INDEX, "event") == 35
    assert [h.id for h in store.search(LOGS_INDEX, None, k=3)] == ["line-34", "line-33", "line-32"]
    store.close()


def test_a_backend_without_a_split_write_gets_whole_batches() -> None:
    backend = OnlyIndexDocuments()
    with BulkLoader(backend, LOGS_INDEX) as loader:  # type: ignore[arg-type]
        loader.add(batch(0, 3))
        loader.add(batch(3, 2))
    assert loader.written == 5
    assert backend.batches == [["line-0", "line-1", "line-2"], ["line-3", "line-4"]]


def test_a_failed_write_is_raised_to_the_caller() -> None:
    loader = BulkLoader(OnlyIndexDocuments(), LOGS_INDEX)  # type: ignore[arg-type]
    loader.add(batch(10, 5))
    with pytest.raises(RuntimeError, match="refused"):
        loader.finish()
