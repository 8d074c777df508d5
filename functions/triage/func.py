"""Knative adapter for triage (functions-framework target `triage_http`).

Only functions-framework loads at import: the handlers, the store and the SDKs load on the first request, so a
scaled-to-zero revision is listening sooner."""

from __future__ import annotations

import functions_framework


@functions_framework.http
def triage_http(request):
    from functions._platform.adapter import serve
    from functions.triage.events import HANDLERS
    from functions.triage.routes import ROUTES

    return serve(request, ROUTES, "triage", HANDLERS)
