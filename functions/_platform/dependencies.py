"""Which of our own dependencies an exception says is down (the store, search, the broker), so the HTTP edge
answers 503 with Retry-After instead of 500, and readiness can name it."""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa_exc

from functions._platform.db.engine import StoreUnavailable
from functions._platform.emit import DependencyDown

RETRY_AFTER_S = 5

_SEARCH_ERRORS = {("opensearchpy.exceptions", "ConnectionError"), ("opensearchpy.exceptions", "ConnectionTimeout"),
                  ("opensearchpy.exceptions", "SSLError")}


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _one(exc: BaseException) -> str | None:
    if isinstance(exc, StoreUnavailable):
        return "database"
    if isinstance(exc, DependencyDown):
        return "broker"
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError,
                        sa_exc.DisconnectionError)):
        return "database"
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return "database"
    if isinstance(exc, sqlite3.OperationalError):
        return "database"
    kind = (type(exc).__module__, type(exc).__name__)
    if kind[0].startswith("psycopg") and kind[1] in ("OperationalError", "InterfaceError"):
        return "database"
    if kind in _SEARCH_ERRORS:
        return "search"
    return None


def dependency_down(exc: BaseException) -> str | None:
    """`database`, `search` or `broker` when `exc` (or what caused it) means that dependency is unavailable."""
    for link in _chain(exc):
        name = _one(link)
        if name:
            return name
    return None


def is_bad_data(exc: BaseException) -> bool:
    """The store refused a value (a NUL byte in text on PostgreSQL, a number out of range): the client's input."""
    return isinstance(exc, sa_exc.DataError)
