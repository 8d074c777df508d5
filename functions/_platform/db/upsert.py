"""INSERT ... ON CONFLICT for both store backends, so concurrent consumers never collide on a key."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def upsert(session: Session, model: type, values: dict[str, Any], keys: list[str],
           update: list[str] | None = None) -> None:
    """Insert `values`; on a key conflict update the `update` columns (or do nothing when None)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(model).values(**values)
    if update:
        statement = statement.on_conflict_do_update(index_elements=keys, set_={c: values[c] for c in update})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    session.execute(statement)


def insert_unless_conflict(session: Session, model: type, values: dict[str, Any], keys: list[str],
                           where: Any = None) -> bool:
    """INSERT ... ON CONFLICT (keys) [WHERE partial-index predicate] DO NOTHING; True when the row was inserted.
    Unlike a savepoint, this is atomic on SQLite's driver too, whatever the transaction did before."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (insert(model).values(**values).on_conflict_do_nothing(index_elements=keys, index_where=where)
                 .returning(*model.__table__.primary_key.columns))  # an INSERT's rowcount is not reliable here
    return session.connection().execute(statement).first() is not None
