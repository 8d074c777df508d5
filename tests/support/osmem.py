"""An in-memory OpenSearch-compatible server (osmem-server) on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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
