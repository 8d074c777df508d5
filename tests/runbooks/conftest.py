from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from functions._platform.runbooks import RunbookKnowledgeBase
from functions._platform.search import SearchBackend

FIXTURES = Path(__file__).parent / "fixtures"
RUNBOOKS = FIXTURES / "runbooks"


def missing(message: str) -> NoReturn:
    """Skip for a missing server or binary, except on CI, where everything must be installed."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required on CI)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def osmem_base() -> Iterator[object]:
    try:
        from osmem_server import OsmemServer

        server = OsmemServer.start(freeze=False, japanese=False)
    except (ImportError, RuntimeError) as exc:
        missing(f"osmem-server unavailable: {exc}")
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

    clone = request.getfixturevalue("osmem_base").clone()
    instance = OpenSearchBackend(clone.url)
    yield instance
    instance.close()
    clone.close()


@pytest.fixture
def kb(backend: SearchBackend) -> RunbookKnowledgeBase:
    knowledge_base = RunbookKnowledgeBase(
        backend, bundled_dir=None, local_roots=[FIXTURES], fetch_remote=True
    )
    knowledge_base.ingest_paths([RUNBOOKS])
    return knowledge_base
