"""Choosing runbooks to attach to an incident: what triage and the report share.

A deterministic match (the alert's ``runbook_url`` or alert name) always counts; a text-search hit counts only
when it clears the relevance floor, because BM25 ranks something first even when nothing fits. The project's
own runbooks (``sreo/*``) apply only to incidents about the orchestrator itself.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any

from sreo_events.models import RunbookRef

from ..config import Settings
from .models import RunbookHit

RELATIVE_FLOOR = 0.5  # a hit must score at least this share of the best hit
MIN_TITLE_COVERAGE = 0.34  # and its title or alert name must be at least this much about the query
CONFIDENT = 0.5  # from this confidence a runbook opens at Mitigation, below it at Diagnosis
ACTIONABLE_SECTIONS = ("Diagnosis", "Mitigation")
ORCHESTRATOR = "sreo"
COMPONENT_LABELS = ("service", "job", "app", "namespace", "component", "container")

_lock = threading.Lock()
_bases: dict[str, Any] = {}


def knowledge_base(settings: Settings) -> Any:
    """One knowledge base per search index (an OpenSearch URL or a SQLite file), shared by the threads that read
    it; alert URLs are never fetched from inside the server."""
    from ..search.registry import sqlite_search_path
    from . import knowledge_base_for

    where = settings.opensearch_url or str(sqlite_search_path(settings))
    with _lock:
        if where not in _bases:
            _bases[where] = knowledge_base_for(settings, fetch_remote=False)
        return _bases[where]


def names_orchestrator(value: str) -> bool:
    value = value.lower()
    return value == ORCHESTRATOR or value.startswith((f"{ORCHESTRATOR}-", f"{ORCHESTRATOR}_", f"{ORCHESTRATOR}."))


def alert_about_orchestrator(labels: Mapping[str, Any]) -> bool:
    if str(labels.get("alertname") or "").lower().startswith(ORCHESTRATOR):
        return True
    return any(names_orchestrator(str(labels[name])) for name in COMPONENT_LABELS if labels.get(name))


def is_orchestrator_runbook(hit: RunbookHit) -> bool:
    return hit.id.split("/", 1)[0] == ORCHESTRATOR


def relevant(hits: list[RunbookHit], query: str) -> list[RunbookHit]:
    """Hits close to the best one whose title or alert name the query is actually about."""
    from .ranking import title_coverage
    from .text import humanize_identifier, stems

    if not hits:
        return []
    query_stems = set(stems(query))
    best = max(hit.score for hit in hits)
    return [hit for hit in hits if hit.score >= RELATIVE_FLOOR * best and max(
        title_coverage(hit.title, query_stems),
        title_coverage(humanize_identifier(hit.id.rsplit("/", 1)[-1]), query_stems)) >= MIN_TITLE_COVERAGE]


def alert_hits(base: Any, labels: Mapping[str, Any], annotations: Mapping[str, Any]) -> list[RunbookHit]:
    """The alert's own runbook (by URL or name), then relevant text-search hits on its name and annotations."""
    match = base.match(labels, annotations, k=3)
    text = " ".join([str(labels.get("alertname", "")), *(str(v) for v in annotations.values())])
    deterministic = match.runbooks[:1] if match.method not in ("search", "none") else []
    return deterministic + relevant(match.runbooks[len(deterministic):], text)


def text_hits(base: Any, query: str, k: int = 3) -> list[RunbookHit]:
    return relevant(base.search(query, k=k), query)


def section_for(base: Any, runbook_id: str, found: str | None, confidence: float) -> str | None:
    """Diagnosis or Mitigation: the one the search found, else the one that fits how sure the diagnosis is."""
    if found in ACTIONABLE_SECTIONS:
        return found
    headings = [hit.source.get("section") for hit in base.sections_of(id=runbook_id)]
    order = ("Mitigation", "Diagnosis") if confidence >= CONFIDENT else ("Diagnosis", "Mitigation")
    return next((name for name in order if name in headings), found)


def references(base: Any, hits: Iterable[RunbookHit], confidence: float, *, own: bool,
               limit: int = 3) -> list[RunbookRef]:
    """Each runbook once, best first, linked at the section to open; ``own``: the incident is about sreo."""
    refs: dict[str, RunbookRef] = {}
    for hit in hits:
        if is_orchestrator_runbook(hit) and not own:
            continue
        refs.setdefault(hit.id, RunbookRef(id=hit.id, title=hit.title, path=hit.path, score=round(hit.score, 4),
                                           section=section_for(base, hit.id, hit.section, confidence)))
    return list(refs.values())[:limit]
