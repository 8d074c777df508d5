"""A real PostgreSQL 15 on loopback for the database agent tests, plus fault injectors and request helpers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from sreo_events.models import InvestigationRequested, TimeWindow
from support.servers import Postgres, postgres

MAX_CONNECTIONS = 20
SUPERUSER_RESERVED = 3


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Postgres]:
    """A server of its own: the tests fill its few connection slots and count its sessions."""
    with postgres(max_connections=MAX_CONNECTIONS, superuser_reserved_connections=SUPERUSER_RESERVED,
                  deadlock_timeout="100ms") as server:
        yield server


def wait_until(condition: Callable[[], bool], timeout_s: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class BackgroundStatement:
    """A statement running on its own connection in a thread (it may block on a lock or sleep)."""

    conn: object
    thread: threading.Thread
    pid: int
    error: list[BaseException]


def run_in_background(server: Postgres, dbname: str, sql: str) -> BackgroundStatement:
    conn = server.connect(dbname)
    pid = conn.info.backend_pid
    errors: list[BaseException] = []

    def target() -> None:
        import psycopg

        try:
            conn.execute(sql)
        except psycopg.Error as exc:  # cancelled or deadlocked on purpose by the test
            errors.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return BackgroundStatement(conn, thread, pid, errors)


def investigation_request(window_start: datetime | None = None) -> InvestigationRequested:
    now = datetime.now(UTC)
    start = window_start or now - timedelta(minutes=10)
    return InvestigationRequested(incident_id="inc-db-1", domain="database", service="orders",
                                  window=TimeWindow(start=start, end=now + timedelta(minutes=1)),
                                  deadline=now + timedelta(minutes=5))
