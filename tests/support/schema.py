"""How a migrated database differs from the SQLAlchemy models, for the tables a test owns."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from functions._platform.db.models import Base


def tables_in(diff: object) -> set[str]:
    """Names of the tables one autogenerate diff entry (a tuple, or a list of them) is about."""
    names = set()
    for item in diff if isinstance(diff, list) else [diff]:
        for part in item[1:] if isinstance(item, tuple) else ():
            table = getattr(part, "table", None)
            name = table.name if table is not None else getattr(part, "name", None)
            if isinstance(name, str):
                names.add(name)
            if isinstance(part, str):
                names.add(part)
    return names


def schema_drift(engine: Engine, tables: set[str]) -> list[object]:
    """The autogenerate diffs between the database and the models that touch any of `tables`."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    return [diff for diff in diffs if tables_in(diff) & tables]
