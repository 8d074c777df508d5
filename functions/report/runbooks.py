"""Runbooks for the report: attach the best ones to each cause, and serve the knowledge base over REST."""

from __future__ import annotations

import threading
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from events.models import Cause, RunbookRef
from functions._platform.config import Settings
from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Route, parse_json
from functions._platform.runtime import get_runtime

_lock = threading.Lock()
_bases: dict[int, Any] = {}
PREFERRED_SECTIONS = ("Mitigation", "Diagnosis")


def knowledge_base(settings: Settings) -> Any:
    """One knowledge base per settings object; alert URLs are never fetched from inside the server."""
    from functions._platform.runbooks import RunbookKnowledgeBase
    from functions._platform.runbooks.embeddings import default_embedder
    from functions._platform.search import get_search_backend

    with _lock:
        if id(settings) not in _bases:
            _bases[id(settings)] = RunbookKnowledgeBase(get_search_backend(settings), embedder=default_embedder(),
                                                        fetch_remote=False)
        return _bases[id(settings)]


def _ref(hit: Any) -> RunbookRef:
    return RunbookRef(id=hit.id, title=hit.title, section=hit.section, path=hit.path, score=round(hit.score, 4))


def attach(settings: Settings, causes: list[Cause], alerts: list[dict[str, Any]]) -> None:
    """The top cause gets the incident's alert runbooks first; every cause gets what its evidence reads like."""
    base = knowledge_base(settings)
    for rank, cause in enumerate(causes):
        refs: dict[str, RunbookRef] = {}
        if rank == 0:
            for alert in alerts[:3]:
                for hit in base.match(alert["labels"], alert["annotations"], k=1).runbooks:
                    refs.setdefault(hit.id, _ref(hit))
        finding = cause.evidence[0] if cause.evidence else None
        query = " ".join(filter(None, [cause.kind.replace("_", " "), finding.summary if finding else ""]))
        for hit in base.search(query, k=2):
            refs.setdefault(hit.id, _ref(hit))
        cause.runbooks = list(refs.values())[:3]


class RunbookUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=300, description="`<component>/<AlertName>.md` or a file name.")
    content: str = Field(min_length=1, max_length=500_000, description="Markdown (front matter ok), text or HTML.")
    content_type: str | None = Field(default=None, description="text/markdown, text/plain or text/html.")


def post_runbook(request: HttpRequest) -> HttpResponse:
    runtime = get_runtime()
    upload = parse_json(request, RunbookUpload, runtime.settings.max_body_bytes)
    try:
        runbook = knowledge_base(runtime.settings).ingest_document(upload.name, upload.content, upload.content_type)
    except ValueError as exc:
        raise ApiError(422, "invalid_runbook", str(exc)) from exc
    return HttpResponse(201, {"id": runbook.id, "title": runbook.title,
                              "sections": [section.heading for section in runbook.sections]})


def search_runbooks(request: HttpRequest) -> HttpResponse:
    query = request.query.get("q", "").strip()
    raw_k = request.query.get("k", "5")
    if not query:
        raise ApiError(422, "invalid_parameter", "q is required")
    if not raw_k.isdigit() or not 1 <= int(raw_k) <= 50:
        raise ApiError(422, "invalid_parameter", "k must be an integer from 1 to 50")
    hits = knowledge_base(get_runtime().settings).search(query, int(raw_k))
    return HttpResponse(200, {"query": query, "results": [hit.model_dump() for hit in hits]})


ROUTES = [
    Route("POST", "/runbooks", post_runbook, "Add or replace a runbook.", RunbookUpload, write=True),
    Route("GET", "/runbooks/search", search_runbooks, "Free-text runbook search (`q`, `k`), best first."),
]
