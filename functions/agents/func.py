"""Knative adapter for the domain agents (functions-framework target `agent_event`).

One image serves every domain; a Service limits itself to the domains in SREO_AGENT_DOMAINS
(its Trigger already filters on the `domain` extension)."""

from __future__ import annotations

import functions_framework

from functions.agents.events import HANDLERS
from functions._platform.consumer import consume


@functions_framework.cloud_event
def agent_event(event):  # noqa: ANN001, ANN201
    consume(f"agent-{event.get_attributes().get('domain', 'unknown')}", event, HANDLERS)
