"""An orchestrator host with its REST API for report tests, on SQLite and PostgreSQL, and a Chromium guard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from functions._local.api import create_app
from functions._local.host import LocalHost
from functions._platform.config import Settings
from support.servers import require_binary

@dataclass
class Served:
    host: LocalHost
    client: TestClient

    @property
    def db(self):  # noqa: ANN201
        return self.host.runtime.db


def _hosts(home: Path, database_url: str | None) -> Iterator[Callable[..., Served]]:
    started: list[LocalHost] = []

    def make(**overrides: Any) -> Served:
        settings = Settings(home=home, database_url=database_url, **overrides)
        host = LocalHost(settings, tick_s=0).start(ticking=False)
        started.append(host)
        return Served(host, TestClient(create_app(host.runtime, host.broker)))

    yield make
    for host in started:
        host.stop()


@pytest.fixture
def make_served(tmp_path: Path, database_url: str | None) -> Iterator[Callable[..., Served]]:
    """On SQLite and on PostgreSQL."""
    yield from _hosts(tmp_path / "home", database_url)


@pytest.fixture
def make_sqlite_served(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """On the embedded SQLite store only, for tests about content rather than storage."""
    yield from _hosts(tmp_path / "home", None)


@pytest.fixture
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        try:
            return require_binary(name)
        except pytest.skip.Exception:
            continue
    return require_binary("chromium")
