"""The SQLite layout keeps text once, and stores written by the earlier layout are migrated on open."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from functions._platform.search import LOGS_INDEX
from functions._platform.search.sqlite_fts import SqliteFtsBackend

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def legacy_store(path: Path) -> None:
    """The earlier layout: the whole document as JSON, every keyword indexed, a content-keeping FTS table."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE search_sreo_logs (rowid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, ts_ms INTEGER,"
                 " source TEXT NOT NULL, f_service, f_level, f_status)")
    conn.execute("CREATE INDEX search_sreo_logs_f_service ON search_sreo_logs(f_service)")
    conn.execute("CREATE VIRTUAL TABLE search_sreo_logs_fts USING fts5(f_message, f_raw)")
    for n, (message, level) in enumerate([("disk full on /var", "error"), ("request served", "info")]):
        source = {"timestamp": f"2024-03-01T12:00:0{n}.000Z", "service": "api", "level": level, "message": message,
                  "raw": f"2024-03-01 12:00:0{n} {message}", "status": 500 if level == "error" else 200,
                  "custom": {"k": n}}
        conn.execute("INSERT INTO search_sreo_logs VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (n + 1, f"old-{n}", int(T0.timestamp() * 1000) + n * 1000, json.dumps(source), "api", level,
                      source["status"]))
        conn.execute("INSERT INTO search_sreo_logs_fts (rowid, f_message, f_raw) VALUES (?, ?, ?)",
                     (n + 1, message, source["raw"]))
    conn.commit()
    conn.close()


def test_legacy_store_is_migrated_and_searchable(tmp_path: Path) -> None:
    db = tmp_path / "search.db"
    legacy_store(db)
    backend = SqliteFtsBackend(db)
    try:
        assert backend.count(LOGS_INDEX) == 2
        hits = backend.search(LOGS_INDEX, "disk")
        assert [h.id for h in hits] == ["old-0"]
        assert hits[0].source["custom"] == {"k": 0} and hits[0].source["status"] == 500
        assert hits[0].source["timestamp"] == "2024-03-01T12:00:00.000Z"
        assert backend.count(LOGS_INDEX, filters={"level": "error"}) == 1
        backend.index_documents(LOGS_INDEX, [{"_id": "old-0", "timestamp": T0, "service": "api",
                                              "message": "disk cleaned", "raw": "disk cleaned"}])
        assert backend.count(LOGS_INDEX, "full") == 0 and backend.count(LOGS_INDEX, "cleaned") == 1
        columns = [r[1] for r in backend._conn.execute("PRAGMA table_info(search_sreo_logs)")]
        assert "source" not in columns
    finally:
        backend.close()


def test_deleting_takes_text_out_of_the_index(tmp_path: Path) -> None:
    backend = SqliteFtsBackend(tmp_path / "s.db")
    try:
        backend.index_documents(LOGS_INDEX, [{"_id": f"d{n}", "timestamp": T0, "service": s, "message": "boom",
                                              "raw": f"boom {n}"} for n, s in enumerate(["a", "b", "a"])])
        assert backend.delete_documents(LOGS_INDEX, {"service": "a"}) == 2
        assert backend.count(LOGS_INDEX, "boom") == 1
        backend._conn.execute("INSERT INTO search_sreo_logs_fts(search_sreo_logs_fts) VALUES ('integrity-check')")
    finally:
        backend.close()


def _normalised_row(schema, doc) -> tuple:
    """The row as the documented rules make it: `normalize_document`, then every field outside the columns as
    compact JSON."""
    from functions._platform.search.contract import normalize_document
    from functions._platform.search.sqlite_layout import stored_fields

    norm = normalize_document(schema, doc)
    names = stored_fields(schema)
    kept = {*names, schema.time_field}
    extra = {k: v for k, v in norm.source.items() if k not in kept}
    return (norm.id, norm.timestamp_ms, json.dumps(extra, separators=(",", ":")) if extra else None,
            *[norm.source.get(n) for n in names])


def test_a_row_is_the_normalised_document() -> None:
    from functions._platform.search.schemas import schema_for
    from functions._platform.search.sqlite_layout import document_row

    schema = schema_for(LOGS_INDEX)
    docs = [
        {"_id": "a", "timestamp": T0, "service": "api", "message": "m", "raw": "x m", "message_at": 2, "pid": 7},
        {"_id": "b", "timestamp": "2024-03-01T12:00:00+02:00", "status": "503", "bytes": "n/a", "level": 3},
        {"_id": "c", "timestamp": None, "@timestamp": 1709294400, "custom": {"k": [1, "é"]}, "flag": True},
        {"_id": "d", "timestamp": T0, "@timestamp": "kept in extra", "a-b": 1, "path": None},
    ]
    for doc in docs:
        assert document_row(schema, doc) == _normalised_row(schema, doc)


def test_a_table_made_before_a_field_was_added_gains_its_column(tmp_path: Path) -> None:
    db = tmp_path / "search.db"
    backend = SqliteFtsBackend(db)
    backend.index_documents(LOGS_INDEX, [{"_id": "old", "timestamp": T0, "service": "api", "raw": "x disk full",
                                          "message_at": 2}])
    backend.close()
    conn = sqlite3.connect(db)  # the table as it was before `message_at` had a column: the offset in `extra`
    conn.execute("ALTER TABLE search_sreo_logs DROP COLUMN f_message_at")
    conn.execute("UPDATE search_sreo_logs SET extra = '{\"message_at\":2}'")
    conn.commit()
    conn.close()
    backend = SqliteFtsBackend(db)
    try:
        backend.index_documents(LOGS_INDEX, [{"_id": "new", "timestamp": T0, "service": "api", "raw": "x disk ok",
                                              "message_at": 2}])
        sources = {hit.id: hit.source for hit in backend.search(LOGS_INDEX, "disk", k=5)}
        assert sources["old"]["message_at"] == 2 and sources["new"]["message_at"] == 2
        row = backend._conn.execute("SELECT extra, f_message_at FROM search_sreo_logs WHERE doc_id = 'new'").fetchone()
        assert row == (None, 2)
    finally:
        backend.close()


def test_an_upsert_clears_the_fields_the_new_copy_leaves_empty(tmp_path: Path) -> None:
    backend = SqliteFtsBackend(tmp_path / "search.db")
    try:
        first = {"_id": "a", "timestamp": T0, "service": "api", "raw": "GET /x 503", "status": 503, "path": "/x"}
        other = {"_id": "b", "timestamp": T0, "service": "api", "raw": "GET /y 200", "status": 200}
        backend.index_documents(LOGS_INDEX, [first, other])
        backend.index_documents(LOGS_INDEX, [other, {"_id": "a", "timestamp": T0, "service": "web", "raw": "up"},
                                             {"_id": "c", "timestamp": T0, "service": "api", "raw": "GET /z"}])
        sources = {hit.id: hit.source for hit in backend.scan(LOGS_INDEX)}
        assert sources["a"] == {"timestamp": "2024-03-01T12:00:00.000Z", "service": "web", "raw": "up"}
        assert sources["b"]["status"] == 200 and sources["c"]["raw"] == "GET /z"
        assert backend.count(LOGS_INDEX, "503") == 0 and backend.count(LOGS_INDEX, "up") == 1
    finally:
        backend.close()
