from __future__ import annotations

from pathlib import Path

from functions._platform.config import Settings
from functions._platform.search import get_search_backend, sqlite_search_path


def test_sqlite_store_shares_its_file_with_search(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert sqlite_search_path(settings) == tmp_path / "sreo.db"
    backend = get_search_backend(settings)
    try:
        assert backend.name == "sqlite"
    finally:
        backend.close()


def test_explicit_sqlite_url_is_followed(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'other.db'}")
    assert sqlite_search_path(settings) == tmp_path / "other.db"


def test_postgres_store_keeps_search_in_its_own_file(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url="postgresql://u:p@127.0.0.1:5432/sreo")
    assert sqlite_search_path(settings) == tmp_path / "search.db"


def test_opensearch_url_selects_opensearch(tmp_path: Path, opensearch_url: str) -> None:
    backend = get_search_backend(Settings(home=tmp_path, opensearch_url=opensearch_url))
    try:
        assert backend.name == "opensearch"
        backend.ensure_index("sreo-logs")
        assert backend.count("sreo-logs") == 0
    finally:
        backend.close()
