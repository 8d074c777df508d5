"""Second-stage ranking of candidate runbooks: BM25F over whole runbooks, scaled by title coverage.

The search backend ranks sections, one at a time, so a runbook's words are split across documents and
its title repeats in each. Here every candidate runbook becomes one document with three fields:
- `title`: the runbook title and alert name, in words;
- `lead`: its first section, which in a runbook states what the alert means (`Meaning`, `Overview`);
- `body`: every other section, mostly diagnosis commands and remedies.

Term frequencies are weighted per field and length-normalised against the candidates' mean length
(Robertson and Zaragoza's BM25F); document frequencies come from the backend's section counts, so the
ranking is the same on SQLite and OpenSearch. The score is then scaled by (1 + title coverage), where
coverage weighs each title word by how rare it is among runbook names.

Another runbook's alert name inside a body (`similar to NodeFilesystemSpaceFillingUp`) is a cross
reference, kept as one opaque word instead of being split into the sibling's words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..search import SearchBackend
from .models import RunbookHit
from .ranking import title_coverage
from .text import split_identifier, stems

_WORD = re.compile(r"[^\W_]+")
K1 = 1.2


@dataclass(frozen=True)
class FieldWeight:
    weight: float
    length_norm: float  # BM25's b


FIELDS: dict[str, FieldWeight] = {
    "title": FieldWeight(3.0, 0.3),
    "lead": FieldWeight(3.0, 0.75),
    "body": FieldWeight(1.0, 0.75),
}


def section_words(source: Mapping[str, Any], other_alerts: set[str]) -> str:
    """A section's heading and text, with other runbooks' alert names made single lower-case words."""
    raw = source.get("text")
    if raw is None:  # indexed before the raw text was kept
        return f"{source.get('heading', '')} {source.get('body', '')}"
    own = source.get("alert", "")
    words = (w.lower() if w in other_alerts and w != own else w for w in _WORD.findall(raw))
    return f"{source.get('heading', '')} {' '.join(words)}"


def runbook_fields(sections: Sequence[Mapping[str, Any]], other_alerts: set[str]) -> dict[str, Counter[str]]:
    """Stem counts of each field of one runbook, from its sections in order."""
    ordered = sorted(sections, key=lambda s: s.get("ordinal", 0))
    lead, rest = ordered[0], ordered[1:]
    return {
        "title": Counter(stems(lead.get("title", ""))),
        "lead": Counter(stems(section_words(lead, other_alerts))),
        "body": Counter(stems(" ".join(section_words(s, other_alerts) for s in rest))),
    }


class NameRarity:
    """How rare each word is among the alert names of the indexed runbooks (an idf over names)."""

    def __init__(self, alert_names: Iterable[str]) -> None:
        names = list(alert_names)
        self.count = len(names)
        self.frequency: Counter[str] = Counter(s for name in names for s in set(stems(name)))

    def __call__(self, stem: str) -> float:
        return math.log(1.0 + self.count / (self.frequency.get(stem, 0) + 0.5))


class FieldedRescorer:
    def __init__(self, backend: SearchBackend, index: str) -> None:
        self.backend = backend
        self.index = index

    def rescore(self, candidates: Sequence[RunbookHit], words: Sequence[str]) -> list[RunbookHit]:
        """Candidates (best section each) re-ranked for the query's content words."""
        if not candidates or not words:
            return list(candidates)
        alert_names = [t.value for t in self.backend.terms(self.index, "alert", size=1_000_000)]
        rarity = NameRarity(alert_names)
        query = self._query_idf(words)
        by_runbook: dict[str, list[Mapping[str, Any]]] = {}
        for hit in self.backend.scan(self.index, filters={"id": [c.id for c in candidates]}):
            by_runbook.setdefault(hit.source["id"], []).append(hit.source)
        other_alerts = set(alert_names)
        fields = {rid: runbook_fields(sections, other_alerts) for rid, sections in by_runbook.items()}
        mean_length = {
            name: sum(sum(f[name].values()) for f in fields.values()) / max(1, len(fields)) or 1.0
            for name in FIELDS
        }
        query_stems = set(query)
        rescored = []
        for hit in candidates:
            if hit.id not in fields:
                continue
            score = self._bm25f(fields[hit.id], query, mean_length)
            title = by_runbook[hit.id][0].get("title", "")
            score *= 1.0 + title_coverage(title, query_stems, rarity)
            rescored.append(hit.model_copy(update={"score": round(score, 6)}))
        return sorted(rescored, key=lambda h: (-h.score, h.id))

    def _query_idf(self, words: Sequence[str]) -> dict[str, float]:
        """Each distinct query stem with its idf over indexed sections."""
        total = self.backend.count(self.index)
        idf: dict[str, float] = {}
        for part in (p for word in words for p in split_identifier(word) or [word]):
            for stem in stems(part):
                if stem not in idf:
                    df = self.backend.count(self.index, part)
                    idf[stem] = math.log(1.0 + (total - df + 0.5) / (df + 0.5))
        return idf

    @staticmethod
    def _bm25f(
        fields: Mapping[str, Counter[str]], query: Mapping[str, float], mean_length: Mapping[str, float]
    ) -> float:
        lengths = {name: sum(counts.values()) for name, counts in fields.items()}
        score = 0.0
        for stem, idf in query.items():
            tf = sum(
                spec.weight
                * fields[name].get(stem, 0)
                / (1.0 - spec.length_norm + spec.length_norm * lengths[name] / mean_length[name])
                for name, spec in FIELDS.items()
            )
            score += idf * tf / (K1 + tf)
        return score
