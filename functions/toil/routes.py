"""Toil's HTTP surface: the newest stored report."""

from __future__ import annotations

from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Param, Route
from functions._platform.runtime import Runtime
from functions.toil import store
from functions.toil.render import html, markdown

FORMATS = {"json": "application/json", "markdown": "text/markdown; charset=utf-8",
           "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


def get_latest(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    fmt = request.query.get("format", "json")
    if fmt not in FORMATS:
        raise ApiError(422, "invalid_parameter", f"format must be one of {', '.join(FORMATS)}")
    with runtime.db.session() as session:
        report = store.latest(session)
    if report is None:
        raise ApiError(404, "toil_report_not_found",
                       "no toil report yet: it is computed on the weekly schedule, or run `sreo toil report --save`")
    if fmt == "json":
        return HttpResponse(200, report.model_dump(mode="json"))
    text = html(report) if fmt == "html" else markdown(report)
    return HttpResponse(200, text, content_type=FORMATS[fmt])


ROUTES = [
    Route("GET", "/toil/reports/latest", get_latest,
          "The newest toil report: where on-call time went (`format=json|markdown|html`).",
          params=(Param("format", {"type": "string", "enum": list(FORMATS), "default": "json"}),),
          produces=("application/json", "text/markdown", "text/html"), responses={200: "OK", 404: "No report yet."}),
]
