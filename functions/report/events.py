"""Report's CloudEvent handlers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cloudevents.http import CloudEvent

from functions._platform.consumer import Handler
from functions._platform.outbox import stage
from functions._platform.runtime import Runtime
from functions.report import approvals, compose, incidents, publish, runbooks
from sreo_events import types
from sreo_events.envelope import made_at
from sreo_events.models import (
    ActionApproved,
    IncidentCorrelated,
    IncidentReported,
    IncidentResolved,
    IncidentUpdated,
)


def on_reported(runtime: Runtime, data: IncidentReported, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        publish.open_record(session, data, event["id"])
    _publish_waiting(runtime, data.incident_id)  # a correlation that came first
    return []


def on_updated(runtime: Runtime, data: IncidentUpdated, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        incidents.record_updated(session, data)
    return []


def on_correlated(runtime: Runtime, data: IncidentCorrelated, event: CloudEvent) -> Iterable[CloudEvent]:
    _publish(runtime, data, event["id"], made_at(event))  # correlate stamps it as it correlates
    # If it had to wait, the record may have opened since: whichever of this and on_reported checks after both
    # have committed publishes it (each writes, commits, then looks; taking the waiting row decides who).
    _publish_waiting(runtime, data.incident_id)
    return []


def _publish_waiting(runtime: Runtime, incident_id: str) -> None:
    with runtime.db.session() as session:
        waiting = incidents.waiting(session, incident_id) if incidents.known(session, incident_id) else None
    if waiting:
        _publish(runtime, *waiting, taking=True)


def _publish(runtime: Runtime, correlated: IncidentCorrelated, event_id: str, correlated_at: datetime | None,
             taking: bool = False) -> None:
    """Store and announce the report; `taking`: only if this delivery takes the waiting correlation."""
    with runtime.db.session() as session:
        alerts = compose.alert_summaries(session, correlated.incident_id)
    # outside any store transaction: the knowledge base may write to the same SQLite file
    runbooks.attach(runtime.settings, correlated.causes, alerts)
    with runtime.db.session() as session:  # the report and its published event commit together
        if taking and not incidents.stop_waiting(session, correlated.incident_id, event_id):
            return  # another delivery took it
        published = publish.publish(session, correlated, event_id, runtime.settings, correlated_at)
        if published:
            stage(session, [published])
    if published:
        publish.add_narrative(runtime.db, correlated.incident_id)


def on_resolved(runtime: Runtime, data: IncidentResolved, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        published = publish.resolve(session, data, event["id"])
    return [published] if published else []


def on_action_approved(runtime: Runtime, data: ActionApproved, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        approvals.record_policy_approval(session, data)
    return []


HANDLERS: dict[str, Handler] = {
    types.INCIDENT_REPORTED: on_reported,
    types.INCIDENT_CORRELATED: on_correlated,
    types.INCIDENT_RESOLVED: on_resolved,
    types.INCIDENT_UPDATED: on_updated,
    types.ACTION_APPROVED: on_action_approved,
}
EMITS = (types.REPORT_PUBLISHED, types.APPROVAL_RECORDED)
