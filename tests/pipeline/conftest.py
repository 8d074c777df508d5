"""A whole orchestrator in-process (store, local broker, REST API), on SQLite and on PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from functions._local.api import create_app
from functions._local.host import LocalHost
from functions._platform.config import Settings


@dataclass
class Orchestrator:
    host: LocalHost
    client: TestClient

    @property
    def db(self):  # noqa: ANN201
        return self.host.runtime.db

    def settle(self, timeout: float = 30) -> None:
        assert self.host.broker.wait_idle(timeout), "the broker did not go idle"

    def report(self, incident_id: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.client.get(f"/incidents/{incident_id}").json().get("status") == "reported":
                return self.client.get(f"/incidents/{incident_id}/report").json()
            time.sleep(0.05)
        raise AssertionError(f"no report for {incident_id} within {timeout}s")


@pytest.fixture
def make_orchestrator(tmp_path: Path, database_url: str | None) -> Iterator[Callable[..., Orchestrator]]:
    started: list[LocalHost] = []

    def make(**overrides: Any) -> Orchestrator:
        options = {"correlation_deadline_s": 30, "agent_timeout_s": 5, **overrides}
        settings = Settings(home=tmp_path / "home", database_url=database_url, **options)
        host = LocalHost(settings, tick_s=0).start(ticking=False)
        started.append(host)
        return Orchestrator(host, TestClient(create_app(host.runtime, host.broker)))

    yield make
    for host in started:
        host.stop()


@pytest.fixture
def orchestrator(make_orchestrator: Callable[..., Orchestrator]) -> Orchestrator:
    return make_orchestrator()
