"""Real servers for tests, on loopback: PostgreSQL, Alertmanager, a started process, and helpers to require binaries."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest


def missing(reason: str) -> NoReturn:
    """Skip for a missing server or binary; on CI (CI=true), where everything must be installed, fail instead."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI=true requires it")
    pytest.skip(reason)


def require(what: str, found: str | None) -> str:
    """`found`, or skip (fail on CI) saying `what` is not available."""
    return found or missing(f"{what} is not available")


def require_binary(name: str) -> str:
    return require(f"the `{name}` binary", shutil.which(name))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def serving(command: list[str], log_path: Path, ready: Callable[[], bool], what: str, timeout_s: float = 60,
            **popen: object) -> Iterator[subprocess.Popen]:
    """Runs `command` (output to `log_path`) until `ready()`; fails with the log's tail if it exits or stalls."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **popen)
    try:
        deadline = time.monotonic() + timeout_s
        while not ready():
            if process.poll() is not None:
                pytest.fail(f"{what} exited with {process.returncode}: {log_path.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"{what} was not ready within {timeout_s}s: {log_path.read_text()[-2000:]}")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def http_ready(url: str) -> bool:
    """True once `url` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def alertmanager(binary: str, config: Path, workdir: Path) -> Iterator[str]:
    """The URL of a real Alertmanager on `config`, with its data and log under `workdir`, not clustered."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [binary, f"--config.file={config}", f"--storage.path={workdir / 'alertmanager-data'}",
               f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="]
    with serving(command, workdir / "alertmanager.log", lambda: http_ready(f"{url}/-/ready"), "alertmanager"):
        yield url


def postgres_bindir() -> str | None:
    candidates = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out:
            candidates.append(Path(out))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    return next((str(d) for d in candidates if (d / "initdb").exists() and (d / "pg_ctl").exists()), None)


@dataclass
class Postgres:
    port: int
    host: str = "127.0.0.1"

    def url(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@{self.host}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres", autocommit: bool = True):
        import psycopg

        return psycopg.connect(self.url(dbname), autocommit=autocommit, connect_timeout=5)

    def new_database(self, prefix: str = "sreo") -> str:
        """Creates an empty database and returns its name."""
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def create_database(self, prefix: str = "sreo") -> str:
        """Creates an empty database and returns its URL."""
        return self.url(self.new_database(prefix))

    def client_backends(self) -> int:
        """Client sessions open on the server, not counting the one asking."""
        with self.connect() as conn:
            row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                               " AND pid <> pg_backend_pid()").fetchone()
        return int(row[0])


def _run(command: list[str], as_postgres: bool) -> None:
    if as_postgres:
        command = ["su", "postgres", "-s", "/bin/bash", "-c", shlex.join(command)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{result.stdout}\n{result.stderr}")


@contextmanager
def postgres(max_connections: int = 100, **settings: str | int) -> Iterator[Postgres]:
    """A throw-away PostgreSQL cluster; `settings` are further server settings (deadlock_timeout="100ms").

    As root it runs as the `postgres` user, which PostgreSQL requires."""
    bindir = require("PostgreSQL server binaries (initdb, pg_ctl)", postgres_bindir())
    as_postgres = os.geteuid() == 0
    workdir = Path(tempfile.mkdtemp(prefix="sreo-pg-"))
    if as_postgres:
        shutil.chown(workdir, user="postgres", group="postgres")
    data, port = workdir / "data", free_port()
    _run([f"{bindir}/initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
         as_postgres)
    server_settings = {"listen_addresses": "127.0.0.1", "port": port, "fsync": "off",
                       "max_connections": max_connections, "unix_socket_directories": workdir, **settings}
    options = " ".join(f"-c {name}={value}" for name, value in server_settings.items())
    _run([f"{bindir}/pg_ctl", "-D", str(data), "-l", str(workdir / "log"), "-w", "-t", "60", "-o", options,
          "start"], as_postgres)
    try:
        yield Postgres(port)
    finally:
        _run([f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"], as_postgres)
        shutil.rmtree(workdir, ignore_errors=True)
