"""A throw-away PostgreSQL cluster that a test can stop and start again on the same port: an outage on demand."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support.servers import Postgres, _run, free_port, postgres_bindir, require


class StoppablePostgres(Postgres):
    def __init__(self, bindir: str, data: Path, log: Path, options: str, as_postgres: bool, port: int):
        super().__init__(port)
        self._bindir, self._data, self._log, self._options, self._as_postgres = bindir, data, log, options, \
            as_postgres
        self.running = False

    def _pg_ctl(self, *args: str) -> None:
        _run([f"{self._bindir}/pg_ctl", "-D", str(self._data), *args], self._as_postgres)

    def start(self) -> None:
        self._pg_ctl("-l", str(self._log), "-w", "-t", "60", "-o", self._options, "start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session at once, as a failover or a crashed server does to its clients."""
        self._pg_ctl("-m", mode, "-w", "stop")
        self.running = False


@contextmanager
def stoppable_postgres() -> Iterator[StoppablePostgres]:
    bindir = require("PostgreSQL server binaries (initdb, pg_ctl)", postgres_bindir())
    as_postgres = os.geteuid() == 0
    workdir = Path(tempfile.mkdtemp(prefix="sreo-pg-outage-"))
    if as_postgres:
        shutil.chown(workdir, user="postgres", group="postgres")
    data, port = workdir / "data", free_port()
    _run([f"{bindir}/initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
         as_postgres)
    options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c fsync=off -c max_connections=60 "
               f"-c unix_socket_directories={workdir}")
    server = StoppablePostgres(bindir, data, workdir / "log", options, as_postgres, port)
    server.start()
    try:
        yield server
    finally:
        if server.running:
            server.stop("immediate")
        shutil.rmtree(workdir, ignore_errors=True)
