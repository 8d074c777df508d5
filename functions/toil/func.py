"""Knative adapter for toil (functions-framework target `toil_http`).

Only functions-framework loads at import: the handlers, the store and the SDKs load on the first request, so a
scaled-to-zero revision is listening sooner."""

from __future__ import annotations

import functions_framework


@functions_framework.http
def toil_http(request):
    from functions._platform.adapter import serve
    from functions.toil.events import HANDLERS
    from functions.toil.routes import ROUTES

    return serve(request, ROUTES, "toil", HANDLERS)
