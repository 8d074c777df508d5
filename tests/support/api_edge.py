"""What the REST edge tests share: a token, and one plausible request for every route of the API."""

from __future__ import annotations

import json
from typing import Any

TOKEN = "edge-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BROKER_TOKEN = "broker-edge-token"
RESPONDER_TOKEN = "responder-edge-token"

CE_HEADERS = {"content-type": "application/json", "ce-specversion": "1.0", "ce-source": "/tests/edge",
              "ce-type": "com.example.alert.fired"}


def cloudevent(event_id: str, **extensions: str) -> dict[str, Any]:
    headers = {**CE_HEADERS, "ce-id": event_id, **{f"ce-{k}": v for k, v in extensions.items()}}
    return {"headers": headers, "content": json.dumps({"labels": {"alertname": "EdgeTest", "service": "checkout"}})}


def plausible_requests(incident_id: str = "inc-missing") -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, httpx keyword arguments) for each route, with valid input and the right token."""
    return [
        ("GET", "/healthz", {}),
        ("GET", "/readyz", {}),
        ("GET", "/metrics", {}),
        ("GET", "/openapi.json", {}),
        ("POST", "/incidents", {"json": {"text": "checkout is failing", "service": "checkout"}, "headers": AUTH}),
        ("GET", "/incidents", {}),
        ("GET", f"/incidents/{incident_id}", {}),
        ("GET", f"/incidents/{incident_id}/report", {}),
        ("POST", f"/incidents/{incident_id}/actions/a1/approve",
         {"json": {}, "headers": {"Authorization": f"Bearer {RESPONDER_TOKEN}"}}),
        ("GET", "/topology", {}),
        ("POST", "/alerts/alertmanager", {"json": {"version": "4", "groupKey": "{}:{alertname=\"EdgeTest\"}",
                                                   "alerts": [{"labels": {"alertname": "EdgeTest"}}]},
                                          "headers": AUTH}),
        ("POST", "/alerts/cloudevents", {**cloudevent("ce-1"), "headers": {**cloudevent("ce-1")["headers"], **AUTH}}),
        ("POST", "/dead-letters", {**cloudevent("dl-1", knativeerrordest="report", knativeerrorcode="500"),
                                   "headers": {**cloudevent("dl-1", knativeerrordest="report")["headers"],
                                               "Authorization": f"Bearer {BROKER_TOKEN}"}}),
        ("GET", "/events/dead-letters", {}),
        ("POST", "/events", {**cloudevent("ev-1"), "headers": {**cloudevent("ev-1")["headers"], **AUTH}}),
        ("POST", "/runbooks", {"json": {"name": "checkout/EdgeTest.md", "content": "# EdgeTest\n\n## Meaning\n\nx\n"},
                               "headers": AUTH}),
        ("GET", "/runbooks/search", {"params": {"q": "edge"}}),
        ("GET", "/threats", {}),
        ("GET", "/toil/reports/latest", {}),
    ]
