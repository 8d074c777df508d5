"""INSERT ... ON CONFLICT for both store backends, so concurrent consumers never collide on a key.

Statements are built without their values and executed with them as parameters, so SQLAlchemy compiles each
shape once and reuses it; pending ORM changes are flushed first, as an ORM execute would have done."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session


def _insert(session: Session, model: type):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def upsert(session: Session, model: type, values: dict[str, Any], keys: list[str],
           update: list[str] | None = None) -> None:
    """Insert `values`; on a key conflict update the `update` columns (or do nothing when None)."""
    statement = _insert(session, model)
    if update:
        statement = statement.on_conflict_do_update(index_elements=keys,
                                                    set_={c: statement.excluded[c] for c in update})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    session.flush()
    session.connection().execute(statement, values)


def insert_many_unless_conflict(session: Session, model: type, rows: list[dict[str, Any]], keys: list[str]) -> None:
    """Insert `rows` in one executemany (one round trip on PostgreSQL's pipeline); a row whose key is taken is
    skipped."""
    if rows:
        session.flush()
        session.connection().execute(_insert(session, model).on_conflict_do_nothing(index_elements=keys), rows)


def insert_unless_conflict(session: Session, model: type, values: dict[str, Any], keys: list[str],
                           where: Any = None) -> bool:
    """INSERT ... ON CONFLICT (keys) [WHERE partial-index predicate] DO NOTHING; True when the row was inserted.
    Unlike a savepoint, this is atomic on SQLite's driver too, whatever the transaction did before."""
    statement = (_insert(session, model).on_conflict_do_nothing(index_elements=keys, index_where=where)
                 .returning(*model.__table__.primary_key.columns))  # an INSERT's rowcount is not reliable here
    session.flush()
    return session.connection().execute(statement, values).first() is not None


def insert_many(session: Session, model: type, rows: list[dict[str, Any]], keys: list[str],
                increment: dict[str, Any]) -> None:
    """Insert `rows` in one executemany; on a key conflict set the columns of `increment` (a callable of the
    table and the proposed row, e.g. a counter + 1)."""
    if not rows:
        return
    statement = _insert(session, model)
    statement = statement.on_conflict_do_update(
        index_elements=keys, set_={c: make(model, statement.excluded) for c, make in increment.items()})
    session.flush()
    session.connection().execute(statement, rows)


def stamp_once(session: Session, model: type, key: Any, column: str, at: Any) -> bool:
    """Compare-and-set `model.<column>` from NULL to `at` on the row `key`; True for the one caller that set it.
    The row in the session is refreshed, since the update bypasses the ORM."""
    session.flush()  # pending ORM changes to the row must reach it before the update
    primary = model.__mapper__.primary_key[0]
    won = session.connection().execute(update(model).where(primary == key, getattr(model, column).is_(None))
                                       .values({column: at})).rowcount
    row = session.get(model, key)
    if row is not None:  # the identity map may hold the row as it was before the update
        session.refresh(row)
    return bool(won)
