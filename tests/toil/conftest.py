"""A migrated store on SQLite and on PostgreSQL for the toil tests, and a runtime that delivers to toil."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.orchestrator_fixtures import make_orchestrator, orchestrator  # noqa: F401
from toil_seed import RecordingEmitter

from functions._platform.config import Settings
from functions._platform.db.engine import Database
from functions._platform.runtime import Runtime, set_runtime


@pytest.fixture
def settings(tmp_path: Path, database_url: str | None) -> Settings:
    return Settings(home=tmp_path / "home", database_url=database_url)


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    db = Database(settings)
    yield db
    db.dispose()


@pytest.fixture
def runtime(settings: Settings, database: Database) -> Iterator[Runtime]:
    installed = Runtime(settings=settings, db=database, emitter=RecordingEmitter())
    set_runtime(installed)
    yield installed
    set_runtime(None)
