from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.osmem import osmem, search_backend

from functions._platform.search import SearchBackend


@pytest.fixture(scope="session")
def osmem_server() -> Iterator[object]:
    with osmem() as server:
        yield server


@pytest.fixture(params=["sqlite", "opensearch"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    with search_backend(request.param, tmp_path, lambda: request.getfixturevalue("osmem_server")) as instance:
        yield instance
