from __future__ import annotations

from pathlib import Path

import pytest

from functions._platform.runbooks import RunbookKnowledgeBase
from functions._platform.search import SearchBackend

FIXTURES = Path(__file__).parent / "fixtures"
RUNBOOKS = FIXTURES / "runbooks"


@pytest.fixture
def kb(backend: SearchBackend) -> RunbookKnowledgeBase:
    knowledge_base = RunbookKnowledgeBase(
        backend, bundled_dir=None, local_roots=[FIXTURES], fetch_remote=True
    )
    knowledge_base.ingest_paths([RUNBOOKS])
    return knowledge_base
