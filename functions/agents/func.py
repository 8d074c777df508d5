"""Knative adapter for the domain agents (functions-framework target `agent_event`).

One image serves every domain; each Service's Trigger filters on the `domain` extension. Only
functions-framework loads at import: the handlers, the store and the SDKs load on the first event."""

from __future__ import annotations

import functions_framework


@functions_framework.cloud_event
def agent_event(event):
    from functions._platform.consumer import consume
    from functions.agents.events import HANDLERS

    consume(f"agent-{event.get_attributes().get('domain', 'unknown')}", event, HANDLERS)
