"""An orchestrator host with its REST API for report tests, on SQLite and PostgreSQL, and a Chromium guard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.orchestrator import Orchestrator, orchestrators
from support.servers import require_binary


@pytest.fixture
def make_served(tmp_path: Path, database_url: str | None) -> Iterator[Callable[..., Orchestrator]]:
    """On SQLite and on PostgreSQL."""
    with orchestrators(home=tmp_path / "home", database_url=database_url) as make:
        yield make


@pytest.fixture
def make_sqlite_served(tmp_path: Path) -> Iterator[Callable[..., Orchestrator]]:
    """On the embedded SQLite store only, for tests about content rather than storage."""
    with orchestrators(home=tmp_path / "home", database_url=None) as make:
        yield make


@pytest.fixture
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        try:
            return require_binary(name)
        except pytest.skip.Exception:
            continue
    return require_binary("chromium")
