"""From section hits to ranked runbooks, title coverage, and reciprocal rank fusion of several rankings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..search import Hit
from .models import RunbookHit
from .text import stems, stop_stems

RRF_K = 60


def best_section_per_runbook(hits: Iterable[Hit]) -> list[RunbookHit]:
    """One entry per runbook: its best-scoring section, in score order."""
    best: dict[str, RunbookHit] = {}
    for hit in hits:
        source = hit.source
        runbook_id = source["id"]
        if runbook_id not in best or hit.score > best[runbook_id].score:
            best[runbook_id] = RunbookHit(
                id=runbook_id,
                title=source.get("runbook_title") or source.get("title", ""),
                section=source.get("section", ""),
                score=hit.score,
                path=source.get("path", ""),
            )
    return sorted(best.values(), key=lambda h: (-h.score, h.id))


def reciprocal_rank_fusion(rankings: Sequence[Sequence[RunbookHit]], k: int = RRF_K) -> list[RunbookHit]:
    """Fuse rankings by sum of 1/(k + rank); each runbook keeps the section of its best-placed entry."""
    fused: dict[str, float] = {}
    chosen: dict[str, tuple[int, RunbookHit]] = {}
    for ranking in rankings:
        for rank, hit in enumerate(ranking, start=1):
            fused[hit.id] = fused.get(hit.id, 0.0) + 1.0 / (k + rank)
            if hit.id not in chosen or rank < chosen[hit.id][0]:
                chosen[hit.id] = (rank, hit)
    order = sorted(fused, key=lambda i: (-fused[i], i))
    return [chosen[i][1].model_copy(update={"score": round(fused[i], 6)}) for i in order]


def _same_stem(a: str, b: str) -> bool:
    """Equal stems, or one a prefix of the other when long enough (`config` / `configur`)."""
    if a == b:
        return True
    return min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a))


def title_coverage(title: str, query_stems: set[str], weight: Callable[[str], float] | None = None) -> float:
    """Share of a runbook's title words that the query mentions, function words aside.

    An alert's summary usually paraphrases the alert name; a runbook whose name carries words the
    alert never says (`Cluster`, `Files` instead of `Space`) is probably a sibling, not the one.
    With `weight` (say, how rare a word is among runbook names) a missing rare word costs more.
    """
    title_stems = [t for t in dict.fromkeys(stems(title)) if t not in stop_stems()]
    if not title_stems:
        return 0.0
    weights = {t: weight(t) if weight else 1.0 for t in title_stems}
    matched = sum(w for t, w in weights.items() if any(_same_stem(t, q) for q in query_stems))
    total = sum(weights.values())
    return matched / total if total else 0.0
