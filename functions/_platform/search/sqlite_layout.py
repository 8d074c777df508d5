"""How the SQLite backend lays a document out: every field once, in its own column, and FTS5 over the text.

One table per index holds the id, the time in epoch ms, one column per keyword, integer and text field, and
a JSON column for anything else (vectors, fields outside the schema). The FTS5 table is external-content:
it keeps only its index and reads text from the main table, so text is stored once. Stores written by the
earlier layout (the whole document as JSON beside a content-keeping FTS table) are migrated on first open.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Mapping
from typing import Any

from .contract import format_time, parse_time
from .models import FieldType, IndexSchema, epoch_ms, from_epoch_ms
from .sqlite_sql import column

TOKENIZE = "porter unicode61 remove_diacritics 2"
MIGRATE_BATCH = 5000


_PLANS: dict[int, tuple[tuple, list[str], frozenset[str]]] = {}


def _plan(schema: IndexSchema) -> tuple[list[str], frozenset[str]]:
    """(column fields, fields kept out of `extra`), kept per field tuple: the schema properties rebuild lists."""
    plan = _PLANS.get(id(schema.fields))
    if plan is None or plan[0] is not schema.fields:
        names = [f.name for f in (*schema.exact_fields, *schema.text_fields)]
        kept = frozenset([*names, *([schema.time_field] if schema.time_field else [])])
        plan = _PLANS[id(schema.fields)] = (schema.fields, names, kept)
    return plan[1], plan[2]


def stored_fields(schema: IndexSchema) -> list[str]:
    """Schema fields with a column of their own: keywords, integers and text (the time has `ts_ms`)."""
    return _plan(schema)[0]


def create(conn: sqlite3.Connection, schema: IndexSchema, table: str) -> None:
    columns = "".join(f", {column(name)}" for name in stored_fields(schema))
    text = ", ".join(column(f.name) for f in schema.text_fields)
    conn.execute(f"CREATE TABLE IF NOT EXISTS {table} (rowid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE,"
                 f" ts_ms INTEGER, extra TEXT{columns})")
    present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    for name in stored_fields(schema):  # a field the schema gained since the table was made
        if column(name) not in present:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column(name)}")
    conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_ts ON {table}(ts_ms)")
    if not schema.time_field:
        for spec in schema.exact_fields:
            conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_{column(spec.name)} ON {table}({column(spec.name)})")
    # Time series are read by time range and filtered within it: an index per keyword would cost every
    # insert more than it saves. Queries are single terms joined by OR/AND, never phrases, so the FTS index
    # keeps no positions. For documents it keeps which column a term is in (the field boosts); for a time
    # series only the rows a term is in, and no column sizes: it is the larger part of a log store, and BM25
    # reads the matched rows' text instead (the same ranking, at the same query time, at 100k lines).
    detail = "detail=none, columnsize=0" if schema.time_field else "detail=column"
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_fts USING fts5({text}, content='{table}',"
                 f" content_rowid='rowid', {detail}, tokenize = '{TOKENIZE}')")
    follow_with_fts(conn, schema, table)


def follow_with_fts(conn: sqlite3.Connection, schema: IndexSchema, table: str) -> None:
    """Triggers that keep the external-content FTS index in step with the table, so a batch of rows is one
    statement. They are TEMP (this connection's only), so the file's schema is the same as without them. An
    update or delete first takes the old text out: the index can only forget the very text it indexed."""
    names = [column(f.name) for f in schema.text_fields]
    listed = ", ".join(names)

    def text_of(row: str) -> str:
        return ", ".join(f"coalesce({row}.{name}, '')" for name in names)

    add = f"INSERT INTO {table}_fts (rowid, {listed}) VALUES (new.rowid, {text_of('new')});"
    forget = f"INSERT INTO {table}_fts ({table}_fts, rowid, {listed}) VALUES ('delete', old.rowid, {text_of('old')});"
    for event, body in (("insert", add), ("update", forget + add), ("delete", forget)):
        conn.execute(f"DROP TRIGGER IF EXISTS temp.{table}_fts_{event}")
        conn.execute(f"CREATE TEMP TRIGGER {table}_fts_{event} AFTER {event.upper()} ON {table} BEGIN {body} END")


_ROW_PLANS: dict[int, tuple] = {}
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _row_plan(schema: IndexSchema) -> tuple:
    """(fields, time field, column names, integer columns, vector fields, fields kept out of `extra`, position
    of each column field)."""
    plan = _ROW_PLANS.get(id(schema.fields))
    if plan is None or plan[0] is not schema.fields or plan[1] != schema.time_field:
        names, kept = _plan(schema)
        integers = frozenset(f.name for f in schema.fields if f.type is FieldType.INTEGER)
        vectors = frozenset(f.name for f in schema.fields if f.type is FieldType.VECTOR
                            and f.name != schema.time_field)
        plan = _ROW_PLANS[id(schema.fields)] = (schema.fields, schema.time_field, names, integers, vectors,
                                                kept | {"_id"}, {name: i for i, name in enumerate(names)})
    return plan


def _extra_json(extra: dict[str, Any]) -> str:
    """`json.dumps(extra, separators=(",", ":"))`, written directly when every value is a plain int (offsets,
    pids: the usual extra of a log line)."""
    if all(type(v) is int and _PLAIN_KEY.fullmatch(k) for k, v in extra.items()):
        return "{" + ",".join(f'"{k}":{v}' for k, v in extra.items()) + "}"
    return json.dumps(extra, separators=(",", ":"))


def document_row(schema: IndexSchema, doc: Mapping[str, Any]) -> tuple:
    """(doc_id, ts_ms, extra JSON, field columns...) of a document, normalised as `normalize_document` does
    (id, time, coerced values), in one pass without building the normalised copy."""
    _, time_field, names, integers, vectors, kept, positions = _row_plan(schema)
    doc_id = str(doc.get("_id") or uuid.uuid4().hex)
    timestamp_ms = None
    dropped = None
    if time_field:
        raw = doc.get(time_field)
        if raw is None:
            raw, dropped = doc.get("@timestamp"), "@timestamp"
        if raw is None:
            raise ValueError(f"document for {schema.name} has no {time_field!r}")
        timestamp_ms = epoch_ms(parse_time(raw))
    values: list[Any] = [None] * len(names)
    extra: dict[str, Any] | None = None
    for key, value in doc.items():  # a log line fills few of the columns: visit what it has, not every column
        position = positions.get(key)
        if position is not None:
            if value is None:
                continue
            if key in integers:
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    continue
            elif type(value) is not str:
                value = str(value)
            values[position] = value
        elif key not in kept and key != dropped:
            extra = {} if extra is None else extra
            extra[key] = [float(x) for x in value] if key in vectors and value is not None else value
    return (doc_id, timestamp_ms, _extra_json(extra) if extra else None, *values)


def select_list(schema: IndexSchema, alias: str = "d") -> str:
    return ", ".join([f"{alias}.doc_id", f"{alias}.ts_ms", f"{alias}.extra",
                      *(f"{alias}.{column(n)}" for n in stored_fields(schema))])


def source_of(schema: IndexSchema, row: tuple, names: list[str]) -> dict[str, Any]:
    """The document as it was indexed, from a row of `select_list` (offset by nothing)."""
    source: dict[str, Any] = json.loads(row[2]) if row[2] else {}
    if schema.time_field and row[1] is not None:
        source[schema.time_field] = format_time(from_epoch_ms(row[1]))
    for name, value in zip(names, row[3:], strict=False):
        if value is not None:
            source[name] = value
    return source


def is_legacy(conn: sqlite3.Connection, table: str) -> bool:
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    return "source" in columns


def migrate(conn: sqlite3.Connection, schema: IndexSchema, table: str, insert) -> None:
    """Move a store of the earlier layout into this one, in batches, inside the caller's transaction."""
    conn.execute(f"ALTER TABLE {table} RENAME TO {table}_legacy")
    conn.execute(f"DROP TABLE IF EXISTS {table}_fts")
    for (name,) in conn.execute(f"SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='{table}_legacy'"
                                " AND sql IS NOT NULL").fetchall():
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    create(conn, schema, table)
    last = 0
    while True:
        rows = conn.execute(f"SELECT rowid, doc_id, source FROM {table}_legacy WHERE rowid > ? ORDER BY rowid"
                            f" LIMIT {MIGRATE_BATCH}", (last,)).fetchall()
        if not rows:
            break
        last = rows[-1][0]
        insert([{"_id": doc_id, **json.loads(source)} for _, doc_id, source in rows])
    conn.execute(f"DROP TABLE {table}_legacy")
