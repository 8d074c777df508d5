"""Slack incoming webhook with Block Kit: the cause, its confidence, top evidence, gated actions, the report link."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from functions._platform.rendering import slack_text as s
from functions.notify.notifiers.contract import Destination, Notification, confidence_words, post_json

if TYPE_CHECKING:
    import httpx


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": _cut(text, 3000)}  # Slack's limit for a section's text


class SlackNotifier:
    kind = "slack"

    def body(self, notification: Notification) -> dict[str, Any]:
        report = notification.report
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": _cut(notification.headline, 150)}},
            {"type": "context", "elements": [_mrkdwn(
                f"*{s(report.severity or 'unknown')}* · service `{s(report.service or '?')}`"
                + (f" · namespace `{s(report.namespace)}`" if report.namespace else "")
                + f" · incident `{s(report.incident_id)}`")]},
        ]
        if notification.resolved:
            when = report.resolved_at.isoformat() if report.resolved_at else "now"
            blocks.append({"type": "section", "text": _mrkdwn(f"The alerts behind this incident resolved ({when}).")})
        elif report.causes:
            top = report.causes[0]
            blocks.append({"type": "section", "text": _mrkdwn(
                f"*Most probable cause:* {s(top.component)} ({s(top.kind)})\n{s(top.reason)}\n"
                f"*{confidence_words(top.confidence).capitalize()}* ({top.confidence:.0%})")})
            if top.evidence:
                blocks.append({"type": "section", "text": _mrkdwn(
                    "*Evidence*\n" + "\n".join(f"• {s(line)}" for line in top.evidence))})
            gated = [a for a in top.actions if a.requires_approval]
            if gated:
                blocks.append({"type": "section", "text": _mrkdwn(
                    "*Needs a responder's approval*\n"
                    + "\n".join(f"• {s(a.title)}" + (f": `{s(a.command)}`" if a.command else "") for a in gated))})
            others = [s(c.component) for c in report.causes[1:]]
            if others:
                blocks.append({"type": "context", "elements": [_mrkdwn("Also considered: " + ", ".join(others))]})
        blocks.append({"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Open the report"},
             "url": notification.report_url, "action_id": "open_report"}]})
        return {"text": _cut(s(notification.headline), 3000), "blocks": blocks}

    def send(self, client: httpx.Client, destination: Destination, notification: Notification) -> None:
        post_json(client, destination.url, json.dumps(self.body(notification)).encode())
