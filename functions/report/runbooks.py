"""Runbooks for the report: attach the best ones to each cause, and serve the knowledge base over REST."""

from __future__ import annotations

import threading
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from events.models import Cause, RunbookRef
from functions._platform.config import Settings
from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Route, int_param, parse_json
from functions._platform.runtime import get_runtime

_lock = threading.Lock()
_bases: dict[int, Any] = {}
# A search hit must score at least this share of the best hit, and its title or alert name must be at least
# this much about what the query says: BM25 ranks something first even when nothing fits.
RELATIVE_FLOOR = 0.5
MIN_TITLE_COVERAGE = 0.34
CONFIDENT = 0.5  # from this confidence a cause's runbook opens at Mitigation, below it at Diagnosis
ACTIONABLE_SECTIONS = ("Diagnosis", "Mitigation")
ORCHESTRATOR = "sreo"
_COMPONENT_LABELS = ("alertname", "service", "job", "app", "namespace", "component", "container")
# Finding kind -> alert names whose runbooks handle it (kubernetes-mixin and common exporter names).
KIND_ALERTS: dict[str, tuple[str, ...]] = {
    "pod_crashloop": ("KubePodCrashLooping",),
    "pod_oomkilled": ("KubeContainerOOMKilled", "KubePodCrashLooping"),
    "recent_rollout": ("KubeDeploymentRolloutStuck",),
    "deployment_unavailable": ("KubeDeploymentReplicasMismatch", "KubeDeploymentRolloutStuck"),
    "service_no_endpoints": ("KubePodNotReady",),
    "probe_failure": ("KubePodNotReady",),
    "image_pull_error": ("KubeContainerWaiting", "KubePodNotReady"),
    "container_config_error": ("KubeContainerWaiting", "KubePodNotReady"),
    "pod_unschedulable": ("KubePodNotReady",),
    "node_not_ready": ("KubeNodeNotReady",),
    "pvc_pending": ("KubePersistentVolumeClaimPending",),
    "db_connection_saturation": ("PostgresTooManyConnections",),
    "db_connection_errors": ("PostgresTooManyConnections",),
    "lock_contention": ("PostgresLockContention",),
    "db_idle_in_transaction": ("PostgresLockContention",),
    "error_rate_spike": ("HighErrorRate",),
    "error_ratio_spike": ("HighErrorRate",),
    "latency_creep": ("LatencySLOBurn",),
    "brute_force": ("BruteForceLogin",),
    "credential_stuffing": ("BruteForceLogin",),
    "tls_cert_expiry": ("CertificateExpiringSoon",),
}


def knowledge_base(settings: Settings) -> Any:
    """One knowledge base per settings object; alert URLs are never fetched from inside the server."""
    from functions._platform.runbooks import knowledge_base_for

    with _lock:
        if id(settings) not in _bases:
            _bases[id(settings)] = knowledge_base_for(settings, fetch_remote=False)
        return _bases[id(settings)]


def _names_orchestrator(value: str) -> bool:
    value = value.lower()
    return value == ORCHESTRATOR or value.startswith((f"{ORCHESTRATOR}-", f"{ORCHESTRATOR}_", f"{ORCHESTRATOR}."))


def about_orchestrator(causes: list[Cause], alerts: list[dict[str, Any]]) -> bool:
    """True when the incident concerns the orchestrator itself, the only time its own runbooks apply."""
    for alert in alerts:
        labels = alert.get("labels") or {}
        if str(labels.get("alertname") or alert.get("alertname") or "").lower().startswith(ORCHESTRATOR):
            return True
        if any(_names_orchestrator(str(labels[name])) for name in _COMPONENT_LABELS[1:] if labels.get(name)):
            return True
    return any(_names_orchestrator(cause.component.split("/")[-1]) for cause in causes)


def relevant(hits: list[Any], query: str) -> list[Any]:
    """Hits close to the best one whose title or alert name the query is actually about."""
    from functions._platform.runbooks.ranking import title_coverage
    from functions._platform.runbooks.text import humanize_identifier, stems

    if not hits:
        return []
    query_stems = set(stems(query))
    best = max(hit.score for hit in hits)
    return [hit for hit in hits if hit.score >= RELATIVE_FLOOR * best and max(
        title_coverage(hit.title, query_stems),
        title_coverage(humanize_identifier(hit.id.rsplit("/", 1)[-1]), query_stems)) >= MIN_TITLE_COVERAGE]


def _section(base: Any, runbook_id: str, found: str | None, confidence: float) -> str | None:
    """Diagnosis or Mitigation: the one the search found, else the one that fits how sure the ranking is."""
    if found in ACTIONABLE_SECTIONS:
        return found
    headings = [hit.source.get("section") for hit in base.sections_of(id=runbook_id)]
    order = ("Mitigation", "Diagnosis") if confidence >= CONFIDENT else ("Diagnosis", "Mitigation")
    return next((name for name in order if name in headings), found)


def _ref(base: Any, hit: Any, confidence: float) -> RunbookRef:
    return RunbookRef(id=hit.id, title=hit.title, section=_section(base, hit.id, hit.section, confidence),
                      path=hit.path, score=round(hit.score, 4))


def _by_kind(base: Any, kind: str) -> list[Any]:
    from functions._platform.runbooks.models import RunbookHit

    hits = []
    for alert in KIND_ALERTS.get(kind, ()):
        sections = base.sections_of(alert_key=alert.lower())
        if sections:
            source = sections[0].source
            hits.append(RunbookHit(id=source["id"], title=source.get("runbook_title") or alert,
                                   section="", score=1.0, path=source.get("path", "")))
    return hits


def attach(settings: Settings, causes: list[Cause], alerts: list[dict[str, Any]]) -> None:
    """Per cause: the runbooks for its finding kinds, the incident's own alert runbooks (top cause), then
    text-search hits that clear the relevance floor. The orchestrator's runbooks only for its own incidents."""
    base = knowledge_base(settings)
    base.ensure_seeded()
    own = about_orchestrator(causes, alerts)
    for rank, cause in enumerate(causes):
        candidates: list[Any] = [hit for finding in cause.evidence for hit in _by_kind(base, finding.kind)]
        if rank == 0:
            for alert in alerts[:3]:
                match = base.match(alert["labels"], alert["annotations"], k=3)
                text = " ".join([alert["alertname"], *(str(v) for v in alert["annotations"].values())])
                deterministic = match.runbooks[:1] if match.method not in ("search", "none") else []
                candidates += deterministic + relevant(match.runbooks[len(deterministic):], text)
        finding = cause.evidence[0] if cause.evidence else None
        query = " ".join(filter(None, [cause.kind.replace("_", " "), finding.summary if finding else ""]))
        candidates += relevant(base.search(query, k=3), query)
        refs: dict[str, RunbookRef] = {}
        for hit in candidates:
            if hit.id.split("/", 1)[0] == ORCHESTRATOR and not own:
                continue
            refs.setdefault(hit.id, _ref(base, hit, cause.confidence))
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
    if not query:
        raise ApiError(422, "invalid_parameter", "q is required")
    hits = knowledge_base(get_runtime().settings).search(query, int_param(request, "k", 5, 1, 50))
    return HttpResponse(200, {"query": query, "results": [hit.model_dump() for hit in hits]})


ROUTES = [
    Route("POST", "/runbooks", post_runbook, "Add or replace a runbook.", RunbookUpload, write=True),
    Route("GET", "/runbooks/search", search_runbooks, "Free-text runbook search (`q`, `k`), best first."),
]
