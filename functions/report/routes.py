"""Report's HTTP surface: incidents and their reports."""

from __future__ import annotations

from datetime import UTC, datetime

from functions._platform.db.models import Report
from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Param, Route, int_param
from functions._platform.rendering import HTML, UnknownFormat
from functions._platform.runtime import Runtime
from functions.report import (
    approvals,
    dead_letters,
    html,
    incidents,
    index_page,
    publish,
    runbook_page,
    runbooks,
)
from functions.report.renderers import RENDERERS, NoPostmortem

LIST_SCHEMA = {"type": "object", "required": ["total", "items"],
               "properties": {"total": {"type": "integer"}, "items": {"type": "array", "items": {"type": "object"}}}}
LIST_PARAMS = (
    Param("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}),
    Param("status", {"type": "string"}, "Only incidents in this status."),
    Param("service", {"type": "string"}, "Only incidents of this service."),
    Param("since", {"type": "string"}, "Only incidents since a duration ago (`24h`, `7d`) or an ISO 8601 time."),
)


def _since(request: HttpRequest) -> datetime | None:
    """`since` is a duration back from now (`90m`, `24h`, `7d`) or an ISO 8601 time."""
    text = request.query.get("since")
    if not text:
        return None
    from functions._platform.domains.logs.source.timeparse import parse_duration

    try:
        return datetime.now(UTC) - parse_duration(text)
    except ValueError:
        pass
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(422, "invalid_parameter", "since must be a duration like 24h or 7d, or an ISO 8601 time") \
            from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def list_incidents(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    limit = int_param(request, "limit", 50, 1, 500)
    since = _since(request)
    with runtime.db.session() as session:
        total, items = publish.list_incidents(session, limit, request.query.get("status"),
                                           request.query.get("service") or None, since)
    return HttpResponse(200, {"total": total, "items": items})


def incident_index(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    limit = int_param(request, "limit", 100, 1, 500)
    since = _since(request)
    status, service = request.query.get("status") or None, request.query.get("service") or None
    with runtime.db.session() as session:
        total, items = publish.list_incidents(session, limit, status, service, since)
    return HttpResponse(200, index_page.page(items, total, status, service, request.query.get("since")),
                        content_type=HTML, headers={"Content-Security-Policy": html.CONTENT_SECURITY_POLICY})


def get_report(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    incident_id = request.path_params["incident_id"]
    try:
        fmt = RENDERERS.get(request.query.get("format", "json"))
    except UnknownFormat as exc:
        raise ApiError(422, "invalid_parameter", str(exc)) from None
    with runtime.db.session() as session:
        row = session.get(Report, incident_id)
        if row is None:
            known = incidents.known(session, incident_id)
            raise ApiError(404, "report_not_found" if known else "incident_not_found",
                           f"no report yet for {incident_id!r}" if known else f"no incident {incident_id!r}")
        report = publish.stored_report(row)
    try:
        return fmt.response(report)
    except NoPostmortem as exc:
        raise ApiError(404, "postmortem_not_found", str(exc)) from None


def get_topology(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    from functions._platform.topology.store import topology_document

    with runtime.db.session() as session:
        return HttpResponse(200, topology_document(session))


ROUTES = [
    Route("GET", "/", incident_index, "The incidents as a page, filtered (`status`, `service`, `since`).",
          params=LIST_PARAMS, produces=("text/html",)),
    Route("GET", "/incidents", list_incidents,
          "List incidents, newest first (`limit`, `status`, `service`, `since`).",
          params=LIST_PARAMS, response_schema=LIST_SCHEMA),
    Route("GET", "/incidents/{incident_id}/report", get_report,
          f"The report (`format={'|'.join(RENDERERS.names(aliases=False))}`).",
          params=(Param("format", {"type": "string", "enum": RENDERERS.names(), "default": "json"}),),
          produces=("application/json", "text/markdown", "text/html", "text/plain")),
    *approvals.ROUTES,
    Route("GET", "/topology", get_topology, "The dependency graph: nodes, edges and per-source builds."),
    *dead_letters.ROUTES,
    *runbooks.ROUTES,
    *runbook_page.ROUTES,
]
