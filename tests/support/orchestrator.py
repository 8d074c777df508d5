"""A whole orchestrator in-process (store, local broker, every function) with its REST API in a TestClient."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from functions._local.api import create_app
from functions._local.host import LocalHost
from functions._platform.config import Settings


@dataclass
class Orchestrator:
    host: LocalHost
    client: TestClient

    @property
    def db(self):
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


@contextmanager
def orchestrators(**defaults: Any) -> Iterator[Callable[..., Orchestrator]]:
    """`make(**overrides)` starts one on `Settings(**defaults, **overrides)` (no PingSource ticks); all stop on exit."""
    started: list[LocalHost] = []

    def make(**overrides: Any) -> Orchestrator:
        host = LocalHost(Settings(**{**defaults, **overrides}), tick_s=0).start(ticking=False)
        started.append(host)
        return Orchestrator(host, TestClient(create_app(host.runtime, host.broker)))

    try:
        yield make
    finally:
        for host in started:
            host.stop()
