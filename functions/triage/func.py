"""Knative adapter for triage (functions-framework target `triage_http`)."""

from __future__ import annotations

import functions_framework

from functions._platform.adapter import serve
from functions.triage.events import HANDLERS
from functions.triage.routes import ROUTES


@functions_framework.http
def triage_http(request):  # noqa: ANN001, ANN201
    return serve(request, ROUTES, "triage", HANDLERS)


