"""Migration 0004 and the toil model agree, on both backends, and it downgrades cleanly."""

from __future__ import annotations

from sqlalchemy import inspect
from support.schema import schema_drift

import functions._platform.db.toil  # noqa: F401  (registers the toil table on the shared Base)
from functions._platform.db.engine import Database, upgrade

TABLE = "toil_reports"


def test_model_matches_the_migration(database: Database) -> None:
    assert schema_drift(database.engine, {TABLE}) == []
    assert TABLE in inspect(database.engine).get_table_names()


def test_downgrade_and_upgrade_again(database: Database) -> None:
    from alembic import command

    from functions._platform.db.engine import _alembic_config

    command.downgrade(_alembic_config(database.engine), "0003")
    assert TABLE not in inspect(database.engine).get_table_names()
    upgrade(database.engine)
    assert TABLE in inspect(database.engine).get_table_names()
