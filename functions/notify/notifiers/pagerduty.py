"""PagerDuty Events API v2: trigger on a report, resolve when the incident resolves; dedup_key = incident id."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from functions.notify.notifiers.contract import Destination, Notification, Rejected, post_json

if TYPE_CHECKING:
    import httpx

EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"
SEVERITY = {"critical": "critical", "warning": "warning", "info": "info", None: "error"}


class PagerDutyNotifier:
    kind = "pagerduty"

    def body(self, notification: Notification) -> dict[str, Any]:
        """The event without its routing key, which `send` adds: the key is the destination's secret."""
        report = notification.report
        body: dict[str, Any] = {
            "event_action": "resolve" if notification.resolved else "trigger",
            "dedup_key": report.incident_id,
        }
        if notification.resolved:
            return body  # v2: a resolve needs only the key
        top = report.causes[0] if report.causes else None
        details: dict[str, Any] = {"report": notification.report_url, "summary": report.summary}
        if top is not None:
            details |= {"cause": top.component, "kind": top.kind, "confidence": round(top.confidence, 2),
                        "reason": top.reason, "evidence": top.evidence,
                        "needs_approval": [a.title for a in top.actions if a.requires_approval]}
        body["payload"] = {
            "summary": notification.headline[:1024],  # PagerDuty's limit
            "source": report.service or report.namespace or "sre-orchestrator",
            "severity": SEVERITY.get(report.severity, "error"),
            "component": top.component if top else None,
            "group": report.namespace,
            "class": top.kind if top else None,
            "custom_details": details,
        }
        body["payload"] = {k: v for k, v in body["payload"].items() if v is not None}
        body["links"] = [{"href": notification.report_url, "text": "Diagnosis report"}]
        body["client"] = "SRE Orchestrator"
        body["client_url"] = notification.report_url
        return body

    def send(self, client: httpx.Client, destination: Destination, notification: Notification) -> None:
        if not destination.secret:
            raise Rejected("no routing key")
        response = post_json(client, destination.url or EVENTS_URL,
                             json.dumps({"routing_key": destination.secret, **self.body(notification)}).encode())
        if response.status_code != 202:
            raise Rejected(f"HTTP {response.status_code}: PagerDuty accepts events with 202")
