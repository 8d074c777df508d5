"""Readiness: does each of our own dependencies answer? `/readyz` names the ones that do not."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlalchemy import text

from functions._platform.runtime import Runtime
from functions._platform.search.registry import backend_name, sqlite_search_path

PROBE_TIMEOUT_S = 2.0


def _database(runtime: Runtime) -> None:
    with runtime.db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _search(runtime: Runtime) -> None:
    settings = runtime.settings
    if backend_name(settings) == "opensearch":
        import httpx

        # Any HTTP answer means the cluster is up (it may want credentials we do not send to a probe).
        httpx.get(str(settings.opensearch_url), timeout=PROBE_TIMEOUT_S)
        return
    path = sqlite_search_path(settings)
    if path.exists():
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=PROBE_TIMEOUT_S) as connection:
            connection.execute("SELECT 1")


CHECKS: dict[str, Callable[[Runtime], None]] = {"database": _database, "search": _search}


def check(runtime: Runtime) -> dict[str, str]:
    """`{dependency: "ok" | "down: <reason>"}` for every dependency."""
    results = {}
    for name, probe in CHECKS.items():
        try:
            probe(runtime)
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            results[name] = f"down: {type(exc).__name__}"
    return results
