"""A generic webhook: the published report as JSON, signed with HMAC-SHA256 over `<timestamp>.<body>`.

Headers: `X-Sreo-Timestamp` (Unix seconds) and `X-Sreo-Signature: v1=<hex>`. A receiver recomputes
HMAC-SHA256(secret, f"{timestamp}.{raw body}"), compares in constant time, and rejects old timestamps (replays).
`X-Sreo-Event-Id` is stable across retries, so the receiver can drop duplicates."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import TYPE_CHECKING, Any

from functions.notify.notifiers.contract import Destination, Notification, post_json

if TYPE_CHECKING:
    import httpx


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


class WebhookNotifier:
    kind = "webhook"

    def body(self, notification: Notification) -> dict[str, Any]:
        return {"event_id": notification.event_id, "headline": notification.headline,
                "report_url": notification.report_url, "report": notification.report.model_dump(mode="json")}

    def send(self, client: httpx.Client, destination: Destination, notification: Notification) -> None:
        body = json.dumps(self.body(notification), sort_keys=True).encode()
        timestamp = str(int(time.time()))
        headers = {"x-sreo-timestamp": timestamp, "x-sreo-event-id": notification.event_id}
        if destination.secret:
            headers["x-sreo-signature"] = sign(destination.secret, timestamp, body)
        post_json(client, destination.url, body, headers)
