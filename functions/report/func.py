"""Knative adapter for report (functions-framework target `report_http`)."""

from __future__ import annotations

import functions_framework

from functions._platform.adapter import serve
from functions.report.events import HANDLERS
from functions.report.routes import ROUTES


@functions_framework.http
def report_http(request):  # noqa: ANN001, ANN201
    return serve(request, ROUTES, "report", HANDLERS)
