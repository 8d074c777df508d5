"""Notify's CloudEvent handler: a published report goes to the destinations its route selects."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from cloudevents.http import CloudEvent

from functions._platform.consumer import Handler
from functions._platform.runtime import Runtime
from functions.notify import deliver
from functions.notify.config import get_config
from sreo_events import types
from sreo_events.models import ReportPublished

if TYPE_CHECKING:
    import httpx


@lru_cache(maxsize=1)
def _client(timeout_s: float) -> httpx.Client:
    import httpx

    return httpx.Client(timeout=timeout_s, follow_redirects=False)


def on_published(runtime: Runtime, data: ReportPublished, event: CloudEvent) -> Iterable[CloudEvent]:
    settings, routes = get_config()
    outcome = deliver.deliver(runtime.db, routes, _client(settings.notify_timeout_s), data, event["source"],
                           event["id"], runtime.settings.public_url, settings.notify_max_wait_s)
    if outcome.sent or outcome.rejected:
        from functions._platform.telemetry import log

        log.info("notified", incident=data.incident_id, sent=outcome.sent, rejected=sorted(outcome.rejected))
    return []


HANDLERS: dict[str, Handler] = {types.REPORT_PUBLISHED: on_published}
EMITS: tuple[str, ...] = ()
