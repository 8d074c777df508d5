from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from functions._platform.search import SearchBackend


def missing(message: str) -> NoReturn:
    """Skip for a missing server or binary, except on CI, where everything must be installed."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required on CI)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def osmem_server() -> Iterator[object]:
    try:
        from osmem_server import OsmemServer, resolve_binary

        resolve_binary()
    except (ImportError, RuntimeError) as exc:
        missing(f"osmem-server unavailable: {exc}")
    server = OsmemServer.start(freeze=False, japanese=False)
    yield server
    server.close()


@pytest.fixture(params=["sqlite", "opensearch"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    if request.param == "sqlite":
        from functions._platform.search.sqlite_fts import SqliteFtsBackend

        instance: SearchBackend = SqliteFtsBackend(tmp_path / "sreo.db")
        yield instance
        instance.close()
        return
    from functions._platform.search.opensearch import OpenSearchBackend

    clone = request.getfixturevalue("osmem_server").clone()
    instance = OpenSearchBackend(clone.url)
    yield instance
    instance.close()
    clone.close()
