"""An orchestrator in-process on SQLite and on PostgreSQL, with a blog service whose source is in a git repo."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.orchestrator import Orchestrator, orchestrators


@pytest.fixture
def make_orchestrator(tmp_path: Path, database_url: str | None) -> Iterator[Callable[..., Orchestrator]]:
    with orchestrators(home=tmp_path / "home", database_url=database_url, correlation_deadline_s=30,
                       agent_timeout_s=60, opensearch_url=None, prometheus_url=None, api_tokens=None) as make:
        yield make
