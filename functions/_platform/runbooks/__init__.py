"""Runbook knowledge base: parse, section, index and retrieve runbooks; match alerts to them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from ..config import Settings
from .knowledge_base import BUNDLED_RUNBOOKS, RunbookKnowledgeBase
from .models import Runbook, RunbookHit, RunbookMatch, RunbookSection
from .parsing import parse_runbook

__all__ = [
    "BUNDLED_RUNBOOKS",
    "Runbook",
    "RunbookHit",
    "RunbookKnowledgeBase",
    "RunbookMatch",
    "RunbookSection",
    "get_knowledge_base",
    "ingest_document",
    "ingest_paths",
    "knowledge_base_for",
    "match",
    "parse_runbook",
    "search",
]


def knowledge_base_for(settings: Settings | None = None, *, fetch_remote: bool | None = None,
                       local_roots: Iterable[Path] = ()) -> RunbookKnowledgeBase:
    """A knowledge base on the settings' search backend, with embeddings when installed; alert runbook URLs
    are fetched when `fetch_remote` (default: SREO_RUNBOOK_FETCH) allows."""
    from ..config import get_settings
    from ..search import get_search_backend
    from .embeddings import default_embedder

    settings = settings or get_settings()
    return RunbookKnowledgeBase(get_search_backend(settings), embedder=default_embedder(),
                                fetch_remote=settings.runbook_fetch if fetch_remote is None else fetch_remote,
                                local_roots=local_roots)


@lru_cache(maxsize=1)
def get_knowledge_base() -> RunbookKnowledgeBase:
    """The knowledge base of the process's own settings."""
    return knowledge_base_for()


def ingest_paths(paths: Iterable[str | Path]) -> list[Runbook]:
    return get_knowledge_base().ingest_paths(paths)


def ingest_document(name: str, text: str, content_type: str | None = None) -> Runbook:
    return get_knowledge_base().ingest_document(name, text, content_type)


def search(query: str, k: int = 5) -> list[RunbookHit]:
    return get_knowledge_base().search(query, k)


def match(
    labels: Mapping[str, str], annotations: Mapping[str, str] | None = None, k: int = 3
) -> RunbookMatch:
    return get_knowledge_base().match(labels, annotations, k)
