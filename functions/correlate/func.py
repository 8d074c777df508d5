"""Knative adapter for correlate (functions-framework target `correlate_event`).

Only functions-framework loads at import: the handlers, the store and the SDKs load on the first event."""

from __future__ import annotations

import functions_framework


@functions_framework.cloud_event
def correlate_event(event):
    from functions._platform.consumer import consume
    from functions.correlate.events import HANDLERS

    consume("correlate", event, HANDLERS)
