"""Knative adapter for toil (functions-framework target `toil_http`)."""

from __future__ import annotations

import functions_framework

from functions._platform.adapter import serve
from functions.toil.events import HANDLERS
from functions.toil.routes import ROUTES


@functions_framework.http
def toil_http(request):
    return serve(request, ROUTES, "toil", HANDLERS)
