"""A migrated store on SQLite and on PostgreSQL for the toil tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from functions._platform.config import Settings
from functions._platform.db.engine import Database


@pytest.fixture
def settings(tmp_path: Path, database_url: str | None) -> Settings:
    return Settings(home=tmp_path / "home", database_url=database_url)


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    db = Database(settings)
    yield db
    db.dispose()
