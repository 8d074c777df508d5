"""Text preparation shared by indexing and querying, so both sides see the same words."""

from __future__ import annotations

import re
import sqlite3
import threading
from functools import lru_cache

# `{{ $labels.pod }}`, `{{ $value | humanizePercentage }}`: alert templates, never words of the alert.
_TEMPLATE = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# KubePodCrashLooping -> Kube Pod Crash Looping; HTTPServerDown -> HTTP Server Down; etcdDBSize -> etcd DB Size
_CAMEL_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def strip_templates(text: str) -> str:
    return _TEMPLATE.sub(" ", text)


def split_identifier(word: str) -> list[str]:
    return _CAMEL_PART.findall(word)


def expand_identifiers(text: str) -> str:
    """Append the parts of every camelCase word, so `KubePodCrashLooping` also reads as words."""
    extra: list[str] = []
    for word in _WORD.findall(text):
        parts = split_identifier(word)
        if len(parts) > 1:
            extra.extend(parts)
    return f"{text} {' '.join(extra)}" if extra else text


def humanize_identifier(name: str) -> str:
    return " ".join(split_identifier(name)) or name


def distinct_words(*texts: str) -> str:
    """The words of several texts in first-seen order, each once (for short fields such as titles)."""
    seen: dict[str, str] = {}
    for text in texts:
        for word in re.findall(r"[^\W_]+", expand_identifiers(text or "")):
            seen.setdefault(word.lower(), word)
    return " ".join(seen.values())


def alert_query_text(*parts: str | None) -> str:
    """Free text for searching from alert annotations: templates removed, identifiers split."""
    return expand_identifiers(" ".join(strip_templates(p) for p in parts if p))


class _PorterStems:
    """Porter stems exactly as the FTS5 index makes them, read back through an fts5vocab table."""

    def __init__(self) -> None:
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._conn.execute(
            "CREATE VIRTUAL TABLE words USING fts5(x, tokenize='porter unicode61 remove_diacritics 2')"
        )
        self._conn.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(words, 'instance')")
        self._lock = threading.Lock()

    def __call__(self, text: str) -> tuple[str, ...]:
        with self._lock:
            self._conn.execute("INSERT INTO words(rowid, x) VALUES (1, ?)", (text,))
            try:
                return tuple(row[0] for row in self._conn.execute("SELECT term FROM vocab ORDER BY offset"))
            finally:
                self._conn.execute("DELETE FROM words WHERE rowid = 1")


@lru_cache(maxsize=1)
def _stemmer() -> _PorterStems:
    return _PorterStems()


@lru_cache(maxsize=4096)
def stems(text: str) -> tuple[str, ...]:
    """Lower-cased Porter stems of the words of `text`, camelCase words split first."""
    return _stemmer()(" ".join(p for w in re.findall(r"[^\W_]+", text) for p in (split_identifier(w) or [w])))
