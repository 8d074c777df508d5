from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.osmem import osmem

from functions._platform.search import SearchBackend


@pytest.fixture(scope="session")
def osmem_server() -> Iterator[object]:
    with osmem() as server:
        yield server


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
