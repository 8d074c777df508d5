"""Toil's HTTP surface: the newest stored report."""

from __future__ import annotations

from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Param, Route
from functions._platform.rendering import UnknownFormat
from functions._platform.runtime import Runtime
from functions.toil import store
from functions.toil.render import RENDERERS


def get_latest(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    try:
        fmt = RENDERERS.get(request.query.get("format", "json"))
    except UnknownFormat as exc:
        raise ApiError(422, "invalid_parameter", str(exc)) from None
    with runtime.db.session() as session:
        report = store.latest(session)
    if report is None:
        raise ApiError(404, "toil_report_not_found",
                       "no toil report yet: it is computed on the weekly schedule, or run `sreo toil report --save`")
    return fmt.response(report)


ROUTES = [
    Route("GET", "/toil/reports/latest", get_latest,
          "The newest toil report: where on-call time went (`format=json|markdown|html`).",
          params=(Param("format", {"type": "string", "enum": RENDERERS.names(), "default": "json"}),),
          produces=("application/json", "text/markdown", "text/html"), responses={200: "OK", 404: "No report yet."}),
]
