"""Migration 0004 and the toil model agree, on both backends, and it downgrades cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import functions._platform.db.toil  # noqa: F401  (registers the toil table on the shared Base)
from functions._platform.db.engine import Database, upgrade
from functions._platform.db.models import Base

TABLE = "toil_reports"


def _tables_in(diff: object) -> set[str]:
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


def test_model_matches_the_migration(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    assert [d for d in diffs if TABLE in _tables_in(d)] == []
    assert TABLE in inspect(database.engine).get_table_names()


def test_downgrade_and_upgrade_again(database: Database) -> None:
    from alembic import command

    from functions._platform.db.engine import _alembic_config

    command.downgrade(_alembic_config(database.engine), "0003")
    assert TABLE not in inspect(database.engine).get_table_names()
    upgrade(database.engine)
    assert TABLE in inspect(database.engine).get_table_names()
