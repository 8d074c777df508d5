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
# `isn't`, `doesn't`: the negation is a word of the alert (`not ready`), the rest is not.
_CONTRACTED_NOT = re.compile(r"n['’]t\b", re.IGNORECASE)
# Measured values and thresholds (`15 minutes`, `5m`, `3%`, `0.25`) differ between alerts of one kind.
_QUANTITY = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)?\s*(?:%|ms|s|m|h|d|w|y|seconds?|minutes?|hours?|days?|weeks?)?(?![\w.])",
    re.IGNORECASE,
)
# Function words. Words that carry a state in alert names (not, no, out, up, down, over, under, all) are kept.
_FUNCTION_WORDS = """
a an and are as at be been being but by can each for from had has have having he her his i if in
into is it its itself just now of on or other our own same should so such than that the their them
then there these they this those to too very was we were what when where which while who whom why
will with would you your
"""
STOP_WORDS = frozenset(_FUNCTION_WORDS.split())


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
    """Free text for searching from alert annotations: templates and quantities removed, identifiers split."""
    text = " ".join(strip_templates(p) for p in parts if p)
    return expand_identifiers(_QUANTITY.sub(" ", _CONTRACTED_NOT.sub(" not", text)))


def content_words(text: str) -> list[str]:
    """The words of `text` that are not function words, in order."""
    return [w for w in re.findall(r"[^\W_]+", text) if w.lower() not in STOP_WORDS]


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


@lru_cache(maxsize=1)
def stop_stems() -> frozenset[str]:
    return frozenset(_stemmer()(" ".join(sorted(STOP_WORDS))))


@lru_cache(maxsize=4096)
def stems(text: str) -> tuple[str, ...]:
    """Lower-cased Porter stems of the words of `text`, camelCase words split first."""
    return _stemmer()(" ".join(p for w in re.findall(r"[^\W_]+", text) for p in (split_identifier(w) or [w])))
