"""A store on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from functions._platform.config import Settings
from functions._platform.db.engine import Database


@pytest.fixture
def db(tmp_path: Path, database_url: str | None) -> Iterator[Database]:
    database = Database(Settings(home=tmp_path, database_url=database_url))
    yield database
    database.dispose()
