"""Real servers for tests, on loopback: PostgreSQL, and helpers to require binaries."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


def require(what: str, found: str | None) -> str:
    """`found`, or skip with a reason; on CI (CI=true) a missing server or binary fails instead."""
    if found:
        return found
    reason = f"{what} is not available"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI=true requires it")
    pytest.skip(reason)


def require_binary(name: str) -> str:
    return require(f"the `{name}` binary", shutil.which(name))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bindir() -> str | None:
    candidates = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        candidates.append(Path(out))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    return next((str(d) for d in candidates if (d / "initdb").exists() and (d / "pg_ctl").exists()), None)


@dataclass
class Postgres:
    port: int

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, prefix: str = "sreo") -> str:
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _run(command: list[str], as_postgres: bool) -> None:
    if as_postgres:
        command = ["su", "postgres", "-s", "/bin/bash", "-c", " ".join(command)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{result.stdout}\n{result.stderr}")


@contextmanager
def postgres(max_connections: int = 100) -> Iterator[Postgres]:
    """A throw-away PostgreSQL cluster; as root it runs as the `postgres` user, which PostgreSQL requires."""
    bindir = require("PostgreSQL server binaries (initdb, pg_ctl)", postgres_bindir())
    as_postgres = os.geteuid() == 0
    workdir = Path(tempfile.mkdtemp(prefix="sreo-pg-"))
    if as_postgres:
        shutil.chown(workdir, user="postgres", group="postgres")
    data, port = workdir / "data", free_port()
    _run([f"{bindir}/initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
         as_postgres)
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -c fsync=off -c max_connections={max_connections} "
               f"-c unix_socket_directories={workdir}")
    _run([f"{bindir}/pg_ctl", "-D", str(data), "-l", str(workdir / "log"), "-w", "-t", "60", "-o", f"'{options}'",
          "start"], as_postgres)
    try:
        yield Postgres(port)
    finally:
        _run([f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"], as_postgres)
        shutil.rmtree(workdir, ignore_errors=True)
