"""An in-memory OpenSearch-compatible server (osmem-server) on loopback, and search backends on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from functions._platform.search import SearchBackend
from support.servers import missing


def require_osmem() -> Any:
    """The osmem-server launcher class, with its bundled binary resolved; skips (fails on CI) without it."""
    try:
        from osmem_server import OsmemServer, resolve_binary

        resolve_binary()
    except (ImportError, RuntimeError) as exc:  # no package, or no bundled binary for this platform
        missing(f"osmem-server is not available ({exc})")
    return OsmemServer


@contextmanager
def osmem() -> Iterator[Any]:
    """A started server (`.url`); `.clone()` gives an independent copy of its indices for one test."""
    server = require_osmem().start(freeze=False, japanese=False)
    try:
        yield server
    finally:
        server.close()


@contextmanager
def search_backend(kind: str, tmp_path: Path, osmem_server: Callable[[], Any]) -> Iterator[SearchBackend]:
    """An empty search backend: `sqlite` (FTS5 under `tmp_path`) or `opensearch` (a clone of `osmem_server()`)."""
    if kind == "sqlite":
        from functions._platform.search.sqlite_fts import SqliteFtsBackend

        instance: SearchBackend = SqliteFtsBackend(tmp_path / "sreo.db")
        try:
            yield instance
        finally:
            instance.close()
        return
    from functions._platform.search.opensearch import OpenSearchBackend

    clone = osmem_server().clone()
    try:
        instance = OpenSearchBackend(clone.url)
        try:
            yield instance
        finally:
            instance.close()
    finally:
        clone.close()
