"""Migration 0006 matches its models on both stores, repairs what the lost update left, and downgrades cleanly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import functions._platform.db.approvals
import functions._platform.db.toil
import functions._platform.outbox.store
import functions._platform.topology.models  # noqa: F401  (every table on the shared Base)
from functions._platform.config import Settings
from functions._platform.db.engine import Database, _alembic_config, upgrade
from functions._platform.db.models import Base


def test_outbox_migration_matches_and_repairs(tmp_path: Path, database_url: str | None) -> None:
    database = Database(Settings(home=tmp_path / "home", database_url=database_url))
    engine = database.engine
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert [d for d in diffs if "outbox" in repr(d) or "ux_incidents_open_group" in repr(d)] == []

    command.downgrade(_alembic_config(engine), "0005")
    assert "outbox" not in inspect(engine).get_table_names()
    now = datetime.now(UTC)
    columns = ("id, title, description, severity, status, source, group_key, domains, classification, runbooks, "
               "started_at, window_start, window_end, deadline_at, created_at, reported_at")
    with engine.begin() as connection:
        for incident_id, status, group, created, reported in [
                ("inc-stuck", "correlated", None, now, now),          # the lost update: a report, status behind
                ("inc-old", "open", "g1", now - timedelta(minutes=5), None),  # two open incidents of one group
                ("inc-new", "open", "g1", now, None)]:
            connection.execute(text(f"INSERT INTO incidents ({columns}) VALUES (:id, 't', '', 'warning', :status, "
                                    "'alertmanager', :group, '[]', '{}', '[]', :at, :at, :at, :at, :created, "
                                    ":reported)"),
                               {"id": incident_id, "status": status, "group": group, "at": now, "created": created,
                                "reported": reported})
    upgrade(engine)
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT id, status FROM incidents")).all())
        still_open = connection.execute(text("SELECT id FROM incidents WHERE resolved_at IS NULL AND group_key = 'g1'"
                                             )).scalars().all()
    assert rows["inc-stuck"] == "reported"
    assert still_open == ["inc-new"], "the newest open incident of a group is kept"
    assert "outbox" in inspect(engine).get_table_names()
    database.dispose()
