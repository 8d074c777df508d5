"""Embedded search: SQLite FTS5 with BM25, in a file that every process on the machine shares (WAL)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from .base import Operator, check_filter_fields, normalize_document
from .models import Bucket, Filters, Hit, IndexSchema, TermCount, TimeRange, fill_buckets
from .schemas import schema_for
from .sqlite_sql import column as _column
from .sqlite_sql import match_expression as _match_expression
from .sqlite_sql import selection as _selection
from .sqlite_sql import table as _table
from .sqlite_sql import where as _where

T = TypeVar("T")


def _hits(rows: list[tuple[str, str, float]]) -> list[Hit]:
    """Hits from (doc_id, source JSON, score) rows; one JSON parse for the whole page instead of one per row."""
    if not rows:
        return []
    sources = json.loads("[" + ",".join(row[1] for row in rows) + "]")
    return [Hit(id=row[0], score=float(row[2]), source=source) for row, source in zip(rows, sources)]


class SqliteFtsBackend:
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._ready: set[str] = set()
        self._conn = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=30000")

    # -- schema -------------------------------------------------------------------------------

    def ensure_index(self, index: str) -> None:
        with self._lock:
            if index in self._ready:
                return
            schema = schema_for(index)
            table = _table(index)
            columns = "".join(f", {_column(f.name)}" for f in schema.exact_fields)
            text_columns = ", ".join(_column(f.name) for f in schema.text_fields)
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} (rowid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE,"
                    f" ts_ms INTEGER, source TEXT NOT NULL{columns})"
                )
                self._conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_ts ON {table}(ts_ms)")
                for spec in schema.exact_fields:
                    col = _column(spec.name)
                    self._conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_{col} ON {table}({col})")
                self._conn.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_fts USING fts5({text_columns},"
                    " tokenize = 'porter unicode61 remove_diacritics 2')"
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._ready.add(index)

    def delete_index(self, index: str) -> None:
        table = _table(index)
        with self._lock:
            self._conn.execute(f"DROP TABLE IF EXISTS {table}_fts")
            self._conn.execute(f"DROP TABLE IF EXISTS {table}")
            self._ready.discard(index)

    def _run(self, index: str, action: Callable[[IndexSchema, str], T]) -> T:
        """Run `action` on an existing index, re-creating tables another process may have dropped."""
        with self._lock:
            self.ensure_index(index)
            try:
                return action(schema_for(index), _table(index))
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise
                self._ready.discard(index)
                self.ensure_index(index)
                return action(schema_for(index), _table(index))

    # -- writes -------------------------------------------------------------------------------

    def index_documents(self, index: str, docs: Iterable[Mapping[str, Any]]) -> int:
        def write(schema: IndexSchema, table: str) -> int:
            exact = schema.exact_fields
            texts = schema.text_fields
            normalized = [normalize_document(schema, doc) for doc in docs]
            latest = {norm.id: norm for norm in normalized}  # a later copy of an id replaces an earlier one
            cols = "".join(f", {_column(f.name)}" for f in exact)
            marks = "".join(", ?" for _ in exact)
            updates = "".join(f", {_column(f.name)}=excluded.{_column(f.name)}" for f in exact)
            rowid_of = f"(SELECT rowid FROM {table} WHERE doc_id = ?)"
            text_cols = "".join(f", {_column(f.name)}" for f in texts)
            text_marks = "".join(", ?" for _ in texts)
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                # an upsert keeps the rowid of a document indexed before, so its old text row goes first
                self._conn.executemany(f"DELETE FROM {table}_fts WHERE rowid = {rowid_of}",
                                       [(doc_id,) for doc_id in latest])
                self._conn.executemany(
                    f"INSERT INTO {table} (doc_id, ts_ms, source{cols}) VALUES (?, ?, ?{marks})"
                    f" ON CONFLICT(doc_id) DO UPDATE SET ts_ms=excluded.ts_ms, source=excluded.source{updates}",
                    [(norm.id, norm.timestamp_ms, json.dumps(norm.source), *(norm.source.get(f.name) for f in exact))
                     for norm in latest.values()],
                )
                self._conn.executemany(
                    f"INSERT INTO {table}_fts (rowid{text_cols}) VALUES ({rowid_of}{text_marks})",
                    [(norm.id, *(norm.source.get(f.name) or "" for f in texts)) for norm in latest.values()],
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            return len(normalized)

        return self._run(index, write)

    def delete_documents(self, index: str, filters: Filters) -> int:
        def delete(schema: IndexSchema, table: str) -> int:
            where, params = _where(schema, filters, None)
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                rowids = [r[0] for r in self._conn.execute(f"SELECT rowid FROM {table} d{where}", params)]
                for rowid in rowids:
                    self._conn.execute(f"DELETE FROM {table}_fts WHERE rowid = ?", (rowid,))
                    self._conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            return len(rowids)

        return self._run(index, delete)

    # -- reads --------------------------------------------------------------------------------

    def search(
        self,
        index: str,
        query: str | None = None,
        *,
        filters: Filters | None = None,
        time_range: TimeRange | None = None,
        k: int = 10,
        operator: Operator = "or",
    ) -> list[Hit]:
        def read(schema: IndexSchema, table: str) -> list[Hit]:
            match = _match_expression(query, operator)
            where, params = _where(schema, filters, time_range)
            if match is None:
                order = "d.ts_ms DESC, d.rowid" if schema.time_field else "d.rowid"
                sql = f"SELECT d.doc_id, d.source, 0.0 FROM {table} d{where} ORDER BY {order} LIMIT ?"
                rows = self._conn.execute(sql, [*params, k]).fetchall()
            else:
                weights = ", ".join(str(f.boost) for f in schema.text_fields)
                where = where.replace(" WHERE ", " AND ", 1) if where else ""
                sql = (
                    f"SELECT d.doc_id, d.source, -bm25({table}_fts, {weights}) AS score"
                    f" FROM {table}_fts JOIN {table} d ON d.rowid = {table}_fts.rowid"
                    f" WHERE {table}_fts MATCH ?{where} ORDER BY score DESC, d.rowid LIMIT ?"
                )
                rows = self._conn.execute(sql, [match, *params, k]).fetchall()
            return _hits(rows)

        return self._run(index, read)

    def count(
        self,
        index: str,
        query: str | None = None,
        *,
        filters: Filters | None = None,
        time_range: TimeRange | None = None,
        operator: Operator = "or",
    ) -> int:
        def read(schema: IndexSchema, table: str) -> int:
            sql, params = _selection(schema, table, "count(*)", query, operator, filters, time_range)
            return int(self._conn.execute(sql, params).fetchone()[0])

        return self._run(index, read)

    def count_over_time(
        self,
        index: str,
        interval: timedelta,
        *,
        query: str | None = None,
        filters: Filters | None = None,
        time_range: TimeRange | None = None,
        operator: Operator = "or",
    ) -> list[Bucket]:
        step = int(interval.total_seconds() * 1000)
        if step <= 0:
            raise ValueError("interval must be positive")

        def read(schema: IndexSchema, table: str) -> list[Bucket]:
            if not schema.time_field:
                raise ValueError(f"index {index!r} has no time field")
            head = f"(d.ts_ms / {step}) * {step} AS bucket, count(*)"
            sql, params = _selection(schema, table, head, query, operator, filters, time_range)
            rows = self._conn.execute(sql + " GROUP BY bucket", params).fetchall()
            return fill_buckets({int(b): int(c) for b, c in rows}, interval, time_range)

        return self._run(index, read)

    def terms(
        self,
        index: str,
        field: str,
        *,
        query: str | None = None,
        filters: Filters | None = None,
        time_range: TimeRange | None = None,
        size: int = 10,
        operator: Operator = "or",
    ) -> list[TermCount]:
        def read(schema: IndexSchema, table: str) -> list[TermCount]:
            check_filter_fields(schema, {field: ""})
            col = f"d.{_column(field)}"
            sql, params = _selection(
                schema, table, f"{col}, count(*) AS n", query, operator, filters, time_range
            )
            glue = " AND " if " WHERE " in sql else " WHERE "
            sql += f"{glue}{col} IS NOT NULL GROUP BY {col} ORDER BY n DESC, {col} LIMIT ?"
            return [TermCount(value=v, count=n) for v, n in self._conn.execute(sql, [*params, size])]

        return self._run(index, read)

    def scan(self, index: str, *, filters: Filters | None = None) -> Iterator[Hit]:
        def read(schema: IndexSchema, table: str) -> list[Hit]:
            where, params = _where(schema, filters, None)
            rows = self._conn.execute(f"SELECT doc_id, source, 0.0 FROM {table} d{where}", params).fetchall()
            return _hits(rows)

        return iter(self._run(index, read))

    def close(self) -> None:
        with self._lock:
            self._conn.close()
