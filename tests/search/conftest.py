from __future__ import annotations

import os
import shutil
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


def require_binary(name: str) -> str:
    return shutil.which(name) or missing(f"{name} is not installed")


def require_osmem():
    """The osmem-server launcher class, with its bundled binary resolved."""
    try:
        from osmem_server import OsmemServer, resolve_binary

        resolve_binary()
    except (ImportError, RuntimeError) as exc:  # no package, or no bundled binary for this platform
        missing(f"osmem-server unavailable: {exc}")
    return OsmemServer


@pytest.fixture(scope="session")
def osmem_base() -> Iterator[object]:
    server_class = require_osmem()
    server = server_class.start(freeze=False, japanese=False)
    yield server
    server.close()


@pytest.fixture
def opensearch_url(osmem_base) -> Iterator[str]:
    clone = osmem_base.clone()
    yield clone.url
    clone.close()


def make_backend(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> SearchBackend:
    if kind == "sqlite":
        from functions._platform.search.sqlite_fts import SqliteFtsBackend

        return SqliteFtsBackend(tmp_path / "sreo.db")
    from functions._platform.search.opensearch import OpenSearchBackend

    return OpenSearchBackend(request.getfixturevalue("opensearch_url"))


@pytest.fixture(params=["sqlite", "opensearch"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    instance = make_backend(request.param, tmp_path, request)
    yield instance
    instance.close()
