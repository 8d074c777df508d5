"""Knative adapter for correlate (functions-framework target `correlate_event`)."""

from __future__ import annotations

import functions_framework

from functions._platform.consumer import consume
from functions.correlate.events import HANDLERS


@functions_framework.cloud_event
def correlate_event(event):  # noqa: ANN001, ANN201
    consume("correlate", event, HANDLERS)
