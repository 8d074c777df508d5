"""Fixtures of the topology tests: a store on SQLite and on a real PostgreSQL 15."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from topology_support import require_binary

from functions._platform.config import Settings
from functions._platform.db.engine import Database


def _postgres_bindir() -> str | None:
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out:
            candidates.append(Path(out))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    return next((str(d) for d in candidates if (d / "initdb").exists() and (d / "pg_ctl").exists()), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(command: list[str], as_postgres: bool) -> None:
    if as_postgres:
        command = ["su", "postgres", "-s", "/bin/bash", "-c", " ".join(command)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed: {result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL 15 server on loopback (trust auth, fsync off), stopped after the session."""
    bindir = require_binary("initdb/pg_ctl (PostgreSQL server binaries)", _postgres_bindir())
    as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root
    workdir = Path(tempfile.mkdtemp(prefix="sreo-topology-pg-"))
    if as_postgres:
        shutil.chown(workdir, user="postgres", group="postgres")
    data, log, port = workdir / "data", workdir / "server.log", _free_port()
    _run([f"{bindir}/initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
         as_postgres)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -c fsync=off -c unix_socket_directories={workdir}"
    _run([f"{bindir}/pg_ctl", "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", f"'{options}'", "start"],
         as_postgres)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        _run([f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"], as_postgres)
        shutil.rmtree(workdir, ignore_errors=True)


def _fresh_postgres_database(server_url: str) -> str:
    import psycopg

    name = f"topology_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated store (Alembic upgrade to head) on the embedded SQLite file, then on a real PostgreSQL."""
    if request.param == "sqlite":
        settings = Settings(home=tmp_path / "home", database_url=None)
    else:
        server_url = request.getfixturevalue("postgres_url")
        settings = Settings(home=tmp_path / "home", database_url=_fresh_postgres_database(server_url))
    database = Database(settings)
    try:
        yield database
    finally:
        database.dispose()
