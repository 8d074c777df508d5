"""Fixtures shared by every test folder: a real PostgreSQL for the session, and a store on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.servers import Postgres, postgres


@pytest.fixture(scope="session")
def pg() -> Iterator[Postgres]:
    with postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    """None means the embedded SQLite store in SREO_HOME; the postgres param gives a fresh database."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("pg").create_database()
