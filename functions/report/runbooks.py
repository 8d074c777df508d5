"""Runbooks for the report: attach the best ones to each cause, and serve the knowledge base over REST."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from functions._platform.analyzers.kinds import runbook_alerts_for
from functions._platform.config import Settings
from functions._platform.httpapi import (
    ApiError,
    HttpRequest,
    HttpResponse,
    Param,
    Route,
    int_param,
    parse_json,
)
from functions._platform.runbooks.attach import (
    alert_about_orchestrator,
    alert_hits,
    knowledge_base,
    names_orchestrator,
    references,
    text_hits,
)
from functions._platform.runtime import Runtime
from sreo_events.models import Cause


def about_orchestrator(causes: list[Cause], alerts: list[dict[str, Any]]) -> bool:
    """True when the incident concerns the orchestrator itself, the only time its own runbooks apply."""
    if any(alert_about_orchestrator({"alertname": alert.get("alertname"), **(alert.get("labels") or {})})
           for alert in alerts):
        return True
    return any(names_orchestrator(cause.component.split("/")[-1]) for cause in causes)


def fits(runbook_id: str, causes: list[Cause], alerts: list[dict[str, Any]]) -> bool:
    """A runbook (`<component>/<AlertName>`) fits the incident when it is about one of its alerts, about the kind
    of a ranked cause (its finding kinds' alerts, or the kind itself), or about a ranked cause's component."""
    component, _, name = runbook_id.lower().rpartition("/")
    name = name.split("#", 1)[0]
    kinds = {kind for cause in causes for kind in (cause.kind, *(f.kind for f in cause.evidence))}
    names = {str(alert.get("alertname") or "").lower() for alert in alerts}
    names |= {alert.lower() for kind in kinds for alert in runbook_alerts_for(kind)}
    names |= {kind.replace("_", "") for kind in kinds}
    components = {part.lower() for cause in causes for part in cause.component.split("/") if part}
    return name.replace("_", "").replace("-", "") in names or name in names or bool(component) and (
        component in components)


def _by_kind(base: Any, kind: str) -> list[Any]:
    from functions._platform.runbooks.models import RunbookHit

    hits = []
    for alert in runbook_alerts_for(kind):
        sections = base.sections_of(alert_key=alert.lower())
        if sections:
            source = sections[0].source
            hits.append(RunbookHit(id=source["id"], title=source.get("runbook_title") or alert,
                                   section="", score=1.0, path=source.get("path", "")))
    return hits


def attach(settings: Settings, causes: list[Cause], alerts: list[dict[str, Any]]) -> None:
    """Per cause: the runbooks for its finding kinds, the incident's own alert runbooks (top cause), then
    text-search hits that clear the relevance floor; of those, only the ones that `fit` a ranked cause or an
    alert. The orchestrator's runbooks only for its own incidents."""
    base = knowledge_base(settings)
    base.ensure_seeded()
    own = about_orchestrator(causes, alerts)
    for rank, cause in enumerate(causes):
        candidates: list[Any] = [hit for finding in cause.evidence for hit in _by_kind(base, finding.kind)]
        if rank == 0:
            for alert in alerts[:3]:
                candidates += alert_hits(base, alert["labels"], alert["annotations"])
        finding = cause.evidence[0] if cause.evidence else None
        candidates += text_hits(base, " ".join(filter(None, [cause.kind.replace("_", " "),
                                                               finding.summary if finding else ""])))
        cause.runbooks = references(base, [hit for hit in candidates if fits(hit.id, causes, alerts)],
                                    cause.confidence, own=own)


SEARCH_SCHEMA = {"type": "object", "required": ["query", "results"], "properties": {
    "query": {"type": "string"}, "results": {"type": "array", "items": {
        "type": "object", "required": ["id", "title", "section", "score", "path"],
        "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "section": {"type": "string"},
                       "score": {"type": "number"}, "path": {"type": "string"}}}}}}


class RunbookUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=300, description="`<component>/<AlertName>.md` or a file name.")
    content: str = Field(min_length=1, max_length=500_000, description="Markdown (front matter ok), text or HTML.")
    content_type: str | None = Field(default=None, description="text/markdown, text/plain or text/html.")


def post_runbook(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    upload = parse_json(request, RunbookUpload, runtime.settings.max_body_bytes)
    try:
        runbook = knowledge_base(runtime.settings).ingest_document(upload.name, upload.content, upload.content_type)
    except ValueError as exc:
        raise ApiError(422, "invalid_runbook", str(exc)) from exc
    return HttpResponse(201, {"id": runbook.id, "title": runbook.title,
                              "sections": [section.heading for section in runbook.sections]})


def search_runbooks(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    query = request.query.get("q", "").strip()
    if not query:
        raise ApiError(422, "invalid_parameter", "q is required")
    hits = knowledge_base(runtime.settings).search(query, int_param(request, "k", 5, 1, 50))
    return HttpResponse(200, {"query": query, "results": [hit.model_dump() for hit in hits]})


ROUTES = [
    Route("POST", "/runbooks", post_runbook, "Add or replace a runbook.", RunbookUpload, write=True,
          responses={201: "Stored."}),
    Route("GET", "/runbooks/search", search_runbooks, "Free-text runbook search (`q`, `k`), best first.",
          params=(Param("q", {"type": "string", "minLength": 1, "pattern": r"\S"}, "What to look for.", True),
                  Param("k", {"type": "integer", "minimum": 1, "maximum": 50, "default": 5}, "How many.")),
          response_schema=SEARCH_SCHEMA),
]
