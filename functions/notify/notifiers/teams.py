"""Microsoft Teams: an Adaptive Card posted to an incoming webhook or a Workflows (Power Automate) trigger URL.

Teams renders TextBlock text and fact values as Markdown, so every value taken from the report (which quotes
logs, alerts and cluster objects) is Markdown-escaped: evidence cannot add links, emphasis or `<at>` mentions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from functions._platform.rendering import markdown_text as md
from functions.notify.notifiers.contract import Destination, Notification, confidence_words, post_json

if TYPE_CHECKING:
    import httpx

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


class TeamsNotifier:
    kind = "teams"

    def body(self, notification: Notification) -> dict[str, Any]:
        report = notification.report
        body: list[dict[str, Any]] = [
            _text(md(notification.headline), size="Large", weight="Bolder",
                  color="Good" if notification.resolved else "Attention"),
            {"type": "FactSet", "facts": [
                {"title": "Severity", "value": md(report.severity or "unknown")},
                {"title": "Service", "value": md(report.service or "?")},
                {"title": "Namespace", "value": md(report.namespace or "?")},
                {"title": "Incident", "value": md(report.incident_id)}]},
        ]
        if not notification.resolved and report.causes:
            top = report.causes[0]
            body.append(_text(f"**Most probable cause:** {md(top.component)} ({md(top.kind)}). {md(top.reason)}"))
            body.append(_text(f"{confidence_words(top.confidence).capitalize()} ({top.confidence:.0%})",
                              color="Good" if top.confidence >= 0.8 else "Warning", weight="Bolder"))
            body += [_text(f"- {md(line)}", spacing="None") for line in top.evidence]
            gated = [a for a in top.actions if a.requires_approval]
            if gated:
                body.append(_text("**Needs a responder's approval:** " + "; ".join(md(a.title) for a in gated)))
        card = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.4", "body": body,
                "actions": [{"type": "Action.OpenUrl", "title": "Open the report", "url": notification.report_url}]}
        return {"type": "message", "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}]}

    def send(self, client: httpx.Client, destination: Destination, notification: Notification) -> None:
        post_json(client, destination.url, json.dumps(self.body(notification)).encode())
