"""The notifiers, by the `kind` a destination names in the routes file. One file per notifier, one line here."""

from __future__ import annotations

from functions.notify.notifiers.contract import Notifier
from functions.notify.notifiers.pagerduty import PagerDutyNotifier
from functions.notify.notifiers.slack import SlackNotifier
from functions.notify.notifiers.teams import TeamsNotifier
from functions.notify.notifiers.webhook import WebhookNotifier

NOTIFIERS: dict[str, Notifier] = {
    notifier.kind: notifier
    for notifier in (SlackNotifier(), PagerDutyNotifier(), TeamsNotifier(), WebhookNotifier())
}
