"""The notifiers, by the `kind` a destination names in the routes file. One file per notifier, one line here.

Each notifier's message is also a format of the shared renderer registry (functions/_platform/rendering.py), so
`sreo notify test --dry-run` shows exactly what a destination of that kind is sent."""

from __future__ import annotations

import json

from functions._platform.rendering import JSON, Format, Renderers
from functions.notify.notifiers.contract import Notification, Notifier
from functions.notify.notifiers.pagerduty import PagerDutyNotifier
from functions.notify.notifiers.slack import SlackNotifier
from functions.notify.notifiers.teams import TeamsNotifier
from functions.notify.notifiers.webhook import WebhookNotifier

NOTIFIERS: dict[str, Notifier] = {
    notifier.kind: notifier
    for notifier in (SlackNotifier(), PagerDutyNotifier(), TeamsNotifier(), WebhookNotifier())
}


def _format(notifier: Notifier) -> Format[Notification]:
    return Format(notifier.kind, JSON, render=lambda n: json.dumps(notifier.body(n), indent=2), data=notifier.body)


RENDERERS: Renderers[Notification] = Renderers(_format(notifier) for notifier in NOTIFIERS.values())
