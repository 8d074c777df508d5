"""Knative adapter for notify (functions-framework target `notify_http`).

The routes file is read and checked here, at start-up, so a bad file stops the revision with a clear error
instead of failing each event; the handlers and the HTTP client load on the first event."""

from __future__ import annotations

import functions_framework

from functions.notify.config import get_config

get_config()


@functions_framework.http
def notify_http(request):
    from functions._platform.adapter import serve
    from functions.notify.events import HANDLERS

    return serve(request, [], "notify", HANDLERS)
