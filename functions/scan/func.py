"""Knative adapter for scan (functions-framework target `scan_http`).

Only functions-framework loads at import: the handlers, the store and the SDKs load on the first request, so a
scaled-to-zero revision is listening sooner."""

from __future__ import annotations

import functions_framework


@functions_framework.http
def scan_http(request):
    from functions._platform.adapter import serve
    from functions.scan.events import HANDLERS
    from functions.scan.routes import ROUTES

    return serve(request, ROUTES, "scan", HANDLERS)
