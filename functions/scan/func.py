"""Knative adapter for scan (functions-framework target `scan_http`)."""

from __future__ import annotations

import functions_framework

from functions._platform.adapter import serve
from functions.scan.events import HANDLERS


@functions_framework.http
def scan_http(request):
    return serve(request, [], "scan", HANDLERS)
