"""Fixtures: a whole orchestrator in-process (store, local broker, REST API), on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from support.orchestrator import Orchestrator, orchestrators


@pytest.fixture
def make_orchestrator(tmp_path: Path, database_url: str | None) -> Iterator[Callable[..., Orchestrator]]:
    with orchestrators(home=tmp_path / "home", database_url=database_url, correlation_deadline_s=30,
                       agent_timeout_s=5) as make:
        yield make


@pytest.fixture
def orchestrator(make_orchestrator: Callable[..., Orchestrator]) -> Orchestrator:
    return make_orchestrator()
