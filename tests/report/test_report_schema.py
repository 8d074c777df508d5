"""The action_approvals migration matches its model on both stores and downgrades cleanly."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import functions._platform.db.approvals  # noqa: F401  (registers the table on the shared Base)
from functions._platform.db.engine import _alembic_config, upgrade
from functions._platform.db.models import Base


def test_model_matches_migration_and_downgrade_removes_the_table(make_served) -> None:
    engine = make_served().db.engine
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    assert [d for d in diffs if "action_approvals" in repr(d)] == []
    command.downgrade(_alembic_config(engine), "0002")
    assert "action_approvals" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "action_approvals" in inspect(engine).get_table_names()
