"""A real PostgreSQL 15 on loopback for the database agent tests, plus fault injectors and request helpers."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from events.models import InvestigationRequested, TimeWindow

MAX_CONNECTIONS = 20
SUPERUSER_RESERVED = 3


def require_binary(name: str, found: str | None) -> str:
    """The binary's path; skips when absent, but fails on CI where every server must be present."""
    if found:
        return found
    reason = f"{name} is not installed (PostgreSQL server binaries are needed for these tests)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _postgres_bindir() -> str | None:
    pg_config = shutil.which("pg_config")
    candidates: list[Path] = []
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out:
            candidates.append(Path(out))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return str(bindir)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    host: str
    port: int

    def dsn(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@{self.host}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres", autocommit: bool = True):
        import psycopg

        return psycopg.connect(self.dsn(dbname), autocommit=autocommit, connect_timeout=5)

    def create_database(self, prefix: str = "db") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def client_backends(self) -> int:
        with self.connect() as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                " AND pid <> pg_backend_pid()"
            ).fetchone()
        return int(row[0])


def _run(command: list[str], as_postgres: bool) -> None:
    if as_postgres:
        command = ["su", "postgres", "-s", "/bin/bash", "-c", shlex.join(command)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed: {result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = require_binary("initdb/pg_ctl", _postgres_bindir())
    as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root
    workdir = Path(tempfile.mkdtemp(prefix="sreo-pg-"))
    if as_postgres:
        shutil.chown(workdir, user="postgres", group="postgres")
    data, log, port = workdir / "data", workdir / "server.log", _free_port()
    _run([f"{bindir}/initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
         as_postgres)
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -c fsync=off -c max_connections={MAX_CONNECTIONS}"
               f" -c superuser_reserved_connections={SUPERUSER_RESERVED} -c unix_socket_directories={workdir}"
               " -c deadlock_timeout=100ms")
    _run([f"{bindir}/pg_ctl", "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options, "start"],
         as_postgres)
    try:
        yield PostgresServer("127.0.0.1", port)
    finally:
        _run([f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"], as_postgres)
        shutil.rmtree(workdir, ignore_errors=True)


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


def run_in_background(server: PostgresServer, dbname: str, sql: str) -> BackgroundStatement:
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
