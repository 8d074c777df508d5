"""SQL fragments for the SQLite FTS5 backend: table names, filters, time bounds and MATCH expressions."""

from __future__ import annotations

import re
from typing import Any

from .contract import Operator, check_filter_fields, query_terms, time_bounds_ms
from .models import Filters, IndexSchema, IntRange, TimeRange


def table(index: str) -> str:
    return "search_" + re.sub(r"[^a-z0-9]+", "_", index.lower())


def column(field: str) -> str:
    return "f_" + re.sub(r"[^a-z0-9]+", "_", field.lower())


def match_expression(query: str | None, operator: Operator) -> str | None:
    terms = query_terms(query)
    if not terms:
        return None
    return f" {operator.upper()} ".join(f'"{t}"' for t in terms)


def where(schema: IndexSchema, filters: Filters | None, time_range: TimeRange | None) -> tuple[str, list]:
    check_filter_fields(schema, filters)
    clauses: list[str] = []
    params: list[Any] = []
    for name, value in (filters or {}).items():
        col = f"d.{column(name)}"
        if isinstance(value, IntRange):
            if value.gte is not None:
                clauses.append(f"{col} >= ?")
                params.append(value.gte)
            if value.lt is not None:
                clauses.append(f"{col} < ?")
                params.append(value.lt)
        elif isinstance(value, list):
            if not value:
                clauses.append("0")
                continue
            clauses.append(f"{col} IN ({', '.join('?' for _ in value)})")
            params.extend(value)
        else:
            clauses.append(f"{col} = ?")
            params.append(value)
    start, end = time_bounds_ms(time_range)
    if start is not None:
        clauses.append("d.ts_ms >= ?")
        params.append(start)
    if end is not None:
        clauses.append("d.ts_ms < ?")
        params.append(end)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def selection(
    schema: IndexSchema,
    table: str,
    head: str,
    query: str | None,
    operator: Operator,
    filters: Filters | None,
    time_range: TimeRange | None,
) -> tuple[str, list]:
    clause, params = where(schema, filters, time_range)
    match = match_expression(query, operator)
    if match is None:
        return f"SELECT {head} FROM {table} d{clause}", params
    clause = clause.replace(" WHERE ", " AND ", 1) if clause else ""
    sql = f"SELECT {head} FROM {table}_fts JOIN {table} d ON d.rowid = {table}_fts.rowid WHERE {table}_fts MATCH ?{clause}"
    return sql, [match, *params]
