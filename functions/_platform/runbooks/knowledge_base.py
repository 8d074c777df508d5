"""The runbook knowledge base: ingest runbooks as sections, search them, match alerts to them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..search import RUNBOOKS_INDEX, Hit, SearchBackend
from .embeddings import Embedder, cosine
from .fielded import FieldedRescorer
from .matching import RunbookMatcher
from .models import Runbook, RunbookHit, RunbookMatch
from .parsing import parse_runbook
from .ranking import best_section_per_runbook, reciprocal_rank_fusion
from .sources import runbook_files
from .text import alert_query_text, content_words, distinct_words, expand_identifiers

REPO_ROOT = Path(__file__).resolve().parents[3]
BUNDLED_RUNBOOKS = REPO_ROOT / "runbooks"

_URL = re.compile(r"https?://\S+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_SECTIONS_PER_RUNBOOK = 10
_CANDIDATES = 20  # runbooks the second stage re-ranks


def _clean_body(text: str) -> str:
    return _URL.sub(" ", _MD_LINK.sub(r"\1", text))


def section_documents(runbook: Runbook, embeddings: list[list[float]] | None = None) -> list[dict]:
    title_words = distinct_words(runbook.title, runbook.alert)
    docs = []
    for ordinal, section in enumerate(runbook.sections):
        text = _clean_body(section.body)
        doc = {
            "_id": f"{runbook.id}#{ordinal}",
            "id": runbook.id,
            "alert": runbook.alert,
            "alert_key": runbook.alert.lower(),
            "component": runbook.component,
            "section": section.heading,
            "path": runbook.path,
            "ordinal": ordinal,
            "title": title_words,
            "heading": section.heading,
            "body": expand_identifiers(text),
            "text": text,
            "runbook_title": runbook.title,
            "markdown": section.body[:20_000],  # as written, for serving the runbook at /runbooks/{id}
        }
        if embeddings is not None:
            doc["embedding"] = embeddings[ordinal]
        docs.append(doc)
    return docs


def embedding_text(runbook: Runbook, ordinal: int) -> str:
    section = runbook.sections[ordinal]
    return f"{runbook.title}. {section.heading}. {_clean_body(section.body)[:1000]}"


class RunbookKnowledgeBase:
    def __init__(
        self,
        backend: SearchBackend,
        *,
        embedder: Embedder | None = None,
        index: str = RUNBOOKS_INDEX,
        bundled_dir: Path | None = BUNDLED_RUNBOOKS,
        local_roots: Iterable[Path] = (),
        fetch_remote: bool = True,
    ) -> None:
        self.backend = backend
        self.embedder = embedder
        self.index = index
        self.bundled_dir = bundled_dir
        self._seeded = False
        roots = [*local_roots, *([bundled_dir] if bundled_dir else [])]
        self.rescorer = FieldedRescorer(backend, index)
        self.matcher = RunbookMatcher(self, local_roots=roots, fetch_remote=fetch_remote)

    # -- ingest -------------------------------------------------------------------------------

    def ingest_document(self, name: str, text: str, content_type: str | None = None) -> Runbook:
        runbook = parse_runbook(name, text, content_type)
        vectors = None
        if self.embedder is not None:
            texts = [embedding_text(runbook, i) for i in range(len(runbook.sections))]
            vectors = self.embedder.embed(texts)
        self.backend.delete_documents(self.index, {"id": runbook.id})
        self.backend.index_documents(self.index, section_documents(runbook, vectors))
        return runbook

    def ingest_paths(self, paths: Iterable[str | Path]) -> list[Runbook]:
        ingested = []
        for file in runbook_files(paths):
            name = file.name
            if file.path.resolve().is_relative_to(REPO_ROOT):
                name = str(file.path.resolve().relative_to(REPO_ROOT))
            text = file.path.read_text(encoding="utf-8", errors="replace")
            ingested.append(self.ingest_document(name, text))
        return ingested

    def ensure_seeded(self) -> None:
        """On first use of an empty index, ingest the runbooks shipped with the project."""
        if self._seeded:
            return
        self._seeded = True
        if self.bundled_dir and self.bundled_dir.is_dir() and self.backend.count(self.index) == 0:
            self.ingest_paths([self.bundled_dir])

    # -- read ---------------------------------------------------------------------------------

    def count_runbooks(self) -> int:
        return len(self.backend.terms(self.index, "id", size=1_000_000))

    def sections_of(self, **filters: str) -> list[Hit]:
        return sorted(self.backend.scan(self.index, filters=dict(filters)), key=lambda h: h.source["ordinal"])

    def search(self, query: str, k: int = 5) -> list[RunbookHit]:
        """Runbooks for free text, best first, each with its best-matching section."""
        self.ensure_seeded()
        text = alert_query_text(query)
        words = content_words(text)
        if not words or k <= 0:
            return []
        hits = self.backend.search(self.index, " ".join(words), k=max(50, k * _SECTIONS_PER_RUNBOOK))
        candidates = best_section_per_runbook(hits)[: max(_CANDIDATES, 2 * k)]
        lexical = self.rescorer.rescore(candidates, words)
        if self.embedder is None:
            return lexical[:k]
        return reciprocal_rank_fusion([lexical, self._semantic(text)])[:k]

    def _semantic(self, text: str) -> list[RunbookHit]:
        assert self.embedder is not None
        query = self.embedder.embed([text])[0]
        scored = [
            Hit(id=h.id, score=cosine(query, h.source["embedding"]), source=h.source)
            for h in self.backend.scan(self.index)
            if h.source.get("embedding")
        ]
        return best_section_per_runbook(scored)

    def match(
        self, labels: Mapping[str, str], annotations: Mapping[str, str] | None = None, k: int = 3
    ) -> RunbookMatch:
        """The runbook for an alert: its runbook_url or alertname first, then a text search."""
        self.ensure_seeded()
        return self.matcher.match(labels, annotations or {}, k)
