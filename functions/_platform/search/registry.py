"""Picks the search backend from settings: OpenSearch when a URL is set, else SQLite FTS5 on disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..config import Settings
from .contract import SearchBackend


def sqlite_search_path(settings: Settings) -> Path:
    """The store's own SQLite file when the store is SQLite; `search.db` beside it otherwise."""
    url = settings.sqlalchemy_url
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///").split("?", 1)[0]
        if path and path != ":memory:":
            return Path(path)
    return settings.home / "search.db"


def _opensearch(settings: Settings) -> SearchBackend:
    from .opensearch import OpenSearchBackend

    assert settings.opensearch_url
    return OpenSearchBackend(settings.opensearch_url)


def _sqlite(settings: Settings) -> SearchBackend:
    from .sqlite_fts import SqliteFtsBackend

    return SqliteFtsBackend(sqlite_search_path(settings))


BACKENDS: dict[str, Callable[[Settings], SearchBackend]] = {"opensearch": _opensearch, "sqlite": _sqlite}


def backend_name(settings: Settings) -> str:
    return "opensearch" if settings.opensearch_url else "sqlite"


def get_search_backend(settings: Settings | None = None) -> SearchBackend:
    if settings is None:
        from ..config import get_settings

        settings = get_settings()
    return BACKENDS[backend_name(settings)](settings)
