"""The review_tasks migration matches its model on both stores and downgrades cleanly."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect
from support.schema import schema_drift

import functions._platform.db.review_tasks  # noqa: F401  (registers the table on the shared Base)
from functions._platform.db.engine import _alembic_config, upgrade


def test_model_matches_migration_and_downgrade_removes_the_table(make_orchestrator) -> None:
    engine = make_orchestrator().db.engine
    assert schema_drift(engine, {"review_tasks"}) == []
    command.downgrade(_alembic_config(engine), "0005")
    assert "review_tasks" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "review_tasks" in inspect(engine).get_table_names()
