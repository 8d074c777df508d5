"""Fixtures shared by every test folder: a real PostgreSQL and an OpenSearch-compatible server for the session,
a store on each database backend and an empty index on each search backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.osmem import osmem, search_backend
from support.servers import Postgres, postgres

from functions._platform.search import SearchBackend


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


@pytest.fixture(scope="session")
def osmem_server() -> Iterator[Any]:
    with osmem() as server:
        yield server


@pytest.fixture
def opensearch_url(osmem_server: Any) -> Iterator[str]:
    """A clone of the session's server: its own indices, for one test."""
    clone = osmem_server.clone()
    yield clone.url
    clone.close()


@pytest.fixture(params=["sqlite", "opensearch"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    with search_backend(request.param, tmp_path, lambda: request.getfixturevalue("osmem_server")) as instance:
        yield instance
