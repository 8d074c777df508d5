"""Embedded search: SQLite FTS5 with BM25, in a file that every process on the machine shares (WAL)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import timedelta
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from .contract import Operator, check_filter_fields
from .models import Bucket, Filters, Hit, IndexSchema, TermCount, TimeRange, fill_buckets
from .schemas import schema_for
from .sqlite_layout import create as _create
from .sqlite_layout import document_row as _document_row
from .sqlite_layout import is_legacy as _is_legacy
from .sqlite_layout import migrate as _migrate
from .sqlite_layout import select_list as _select_list
from .sqlite_layout import source_of as _source_of
from .sqlite_layout import stored_fields as _stored_fields
from .sqlite_sql import column as _column
from .sqlite_sql import match_expression as _match_expression
from .sqlite_sql import selection as _selection
from .sqlite_sql import table as _table
from .sqlite_sql import where as _where

T = TypeVar("T")


def _hits(schema: IndexSchema, rows: list[tuple]) -> list[Hit]:
    """Hits from rows of `select_list` followed by a score."""
    names = _stored_fields(schema)
    return [Hit(id=row[0], score=float(row[-1]), source=_source_of(schema, row[:-1], names)) for row in rows]


# (documents, positions of the columns the batch fills, the rows as one JSON array, or as tuples when a text holds
# a NUL character, which SQLite's JSON functions cut the text at)
Prepared = tuple[int, tuple[int, ...], str | list[tuple]]


@lru_cache(maxsize=256)
def _upsert(table: str, names: tuple[str, ...], filled: tuple[int, ...], from_json: bool) -> str:
    """The upsert of rows that carry the columns at `filled` (the others are NULL, on insert and on update): a
    JSON array of them, or one row of parameters. `json_each` reads the array in order, so rowids follow the
    batch (a test holds it; an `ORDER BY` costs a tenth of the write); `WHERE true` keeps SQLite from reading
    `ON CONFLICT` as a join constraint."""
    columns = ["doc_id", "ts_ms", "extra", *(_column(n) for n in names)]
    carried = [columns[i] for i in filled]
    source = (f"SELECT {', '.join(f'value ->> {i}' for i in range(len(carried)))} FROM json_each(?) WHERE true"
              if from_json else f"VALUES ({', '.join('?' for _ in carried)})")
    updates = ", ".join(f"{c}=excluded.{c}" if c in carried else f"{c}=NULL" for c in columns[1:])
    return f"INSERT INTO {table} ({', '.join(carried)}) {source} ON CONFLICT(doc_id) DO UPDATE SET {updates}"


def _prepared(schema: IndexSchema, docs: Iterable[Mapping[str, Any]]) -> Prepared:
    """A batch as one JSON array of rows for `_upsert`: one statement for the batch, since a statement per row
    waits for the GIL after every row while another thread parses the next batch. Columns no row of the batch
    fills are left out (a log line fills 4-9 of 17; SQLite reads every value it is given)."""
    rows = [_document_row(schema, doc) for doc in docs]
    latest = list({row[0]: row for row in rows}.values())  # a later copy of an id replaces an earlier one
    if not latest:
        return 0, (0, 1), "[]"
    filled = (0, 1, *(i for i, values in enumerate(zip(*latest)) if i > 1 and values.count(None) < len(values)))
    carried = list(map(itemgetter(*filled), latest))
    encoded = json.dumps(carried, separators=(",", ":"))
    return len(rows), filled, carried if "\\u0000" in encoded else encoded


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
        # up to 64 MiB of pages (2 MiB by default): a bulk load into a store of a million lines touches pages of
        # the id index all over, and re-reads them from the OS without it
        self._conn.execute("PRAGMA cache_size=-65536")

    # -- schema -------------------------------------------------------------------------------

    def ensure_index(self, index: str) -> None:
        with self._lock:
            if index in self._ready:
                return
            schema = schema_for(index)
            table = _table(index)
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                if _is_legacy(self._conn, table):
                    _migrate(self._conn, schema, table, lambda docs: self._write(schema, table, _prepared(schema, docs)))
                else:
                    _create(self._conn, schema, table)
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
        return self.write_prepared(index, self.prepare_documents(index, docs))

    def prepare_documents(self, index: str, docs: Iterable[Mapping[str, Any]]) -> Prepared:
        """The Python half of a write (see `bulk.py`): the batch's rows, encoded for one statement."""
        return _prepared(schema_for(index), docs)

    def write_prepared(self, index: str, prepared: Prepared) -> int:
        """Upsert a prepared batch in one statement, so in one transaction; the FTS index follows by trigger."""
        self._run(index, lambda schema, table: self._write(schema, table, prepared))
        return prepared[0]

    def _write(self, schema: IndexSchema, table: str, prepared: Prepared) -> None:
        """Upsert; a document indexed before keeps its rowid."""
        _, filled, rows = prepared
        if isinstance(rows, str):
            self._conn.execute(_upsert(table, tuple(_stored_fields(schema)), filled, True), (rows,))
            return
        outside = not self._conn.in_transaction  # a statement per row: one transaction for them all
        if outside:
            self._conn.execute("BEGIN IMMEDIATE")
        try:
            self._conn.executemany(_upsert(table, tuple(_stored_fields(schema)), filled, False), rows)
        except BaseException:
            if outside:
                self._conn.execute("ROLLBACK")
            raise
        if outside:
            self._conn.execute("COMMIT")

    def delete_documents(self, index: str, filters: Filters) -> int:
        def delete(schema: IndexSchema, table: str) -> int:
            where, params = _where(schema, filters, None)
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                deleted = self._conn.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT d.rowid FROM {table} d{where})",
                                             params).rowcount
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            return deleted

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
                sql = f"SELECT {_select_list(schema)}, 0.0 FROM {table} d{where} ORDER BY {order} LIMIT ?"
                rows = self._conn.execute(sql, [*params, k]).fetchall()
            else:
                weights = ", ".join(str(f.boost) for f in schema.text_fields)
                where = where.replace(" WHERE ", " AND ", 1) if where else ""
                sql = (
                    f"SELECT {_select_list(schema)}, -bm25({table}_fts, {weights}) AS score"
                    f" FROM {table}_fts JOIN {table} d ON d.rowid = {table}_fts.rowid"
                    f" WHERE {table}_fts MATCH ?{where} ORDER BY score DESC, d.rowid LIMIT ?"
                )
                rows = self._conn.execute(sql, [match, *params, k]).fetchall()
            return _hits(schema, rows)

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
            rows = self._conn.execute(f"SELECT {_select_list(schema)}, 0.0 FROM {table} d{where}", params).fetchall()
            return _hits(schema, rows)

        return iter(self._run(index, read))

    def close(self) -> None:
        with self._lock:
            self._conn.close()
