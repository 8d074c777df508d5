"""Knative adapter for scan (functions-framework target `scan_http`)."""

from __future__ import annotations

import functions_framework

from functions._platform.adapter import serve
from functions.scan.events import HANDLERS
from functions.scan.routes import ROUTES


@functions_framework.http
def scan_http(request):  # noqa: ANN001, ANN201
    return serve(request, ROUTES, "scan", HANDLERS)
