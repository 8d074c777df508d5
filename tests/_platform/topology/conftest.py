"""Fixtures of the topology tests: a migrated store on SQLite and on the session's real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from functions._platform.config import Settings
from functions._platform.db.engine import Database


@pytest.fixture
def store(tmp_path: Path, database_url: str | None) -> Iterator[Database]:
    """A store migrated to head (Alembic) on each backend of `database_url`."""
    database = Database(Settings(home=tmp_path / "home", database_url=database_url))
    try:
        yield database
    finally:
        database.dispose()
