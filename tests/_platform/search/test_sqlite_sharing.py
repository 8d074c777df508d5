"""The embedded backend is a file: separate processes see each other's writes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from support.paths import REPO_ROOT

from functions._platform.search import LOGS_INDEX
from functions._platform.search.sqlite_fts import SqliteFtsBackend


def run_in_child(db: Path, code: str) -> str:
    script = textwrap.dedent(
        f"""
        from functions._platform.search.sqlite_fts import SqliteFtsBackend
        backend = SqliteFtsBackend({str(db)!r})
        """
    ) + textwrap.dedent(code)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.strip()


def test_a_child_process_reads_what_the_parent_wrote(tmp_path: Path) -> None:
    db = tmp_path / "sreo.db"
    parent = SqliteFtsBackend(db)
    parent.index_documents(
        LOGS_INDEX,
        [
            {
                "timestamp": "2024-01-01T00:00:00Z",
                "service": "api",
                "level": "ERROR",
                "message": "disk quota hit",
            }
        ],
    )
    seen = run_in_child(db, "print(backend.count('sreo-logs', 'quota'))")
    assert seen == "1"
    parent.close()


def test_the_parent_reads_what_a_child_wrote_while_it_stays_open(tmp_path: Path) -> None:
    db = tmp_path / "sreo.db"
    parent = SqliteFtsBackend(db)
    assert parent.count(LOGS_INDEX) == 0
    run_in_child(
        db,
        """
        backend.index_documents('sreo-logs', [
            {'timestamp': '2024-01-01T00:00:0%dZ' % i, 'service': 'auth', 'level': 'WARN',
             'message': 'Failed password for root'} for i in range(3)])
        """,
    )
    assert parent.count(LOGS_INDEX, "failed password", operator="and") == 3
    parent.close()


def test_the_file_is_in_wal_mode(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "sreo.db"
    SqliteFtsBackend(db).close()
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
