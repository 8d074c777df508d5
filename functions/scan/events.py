"""Scan's CloudEvent handlers: a scheduled request in, one `threat.detected` per new or escalated threat out; and
the incidents, published reports and recorded approvals the supervisor keeps its own copies of."""

from __future__ import annotations

from collections.abc import Iterable

from cloudevents.http import CloudEvent

from functions._platform.consumer import Handler
from functions._platform.runtime import Runtime
from functions.scan import copies
from functions.scan.store import record_threats
from functions.scan.supervisor import on_incident, on_report, supervise
from functions.scan.threats import scan
from sreo_events import types
from sreo_events.envelope import derived_id, make_event
from sreo_events.models import ApprovalRecorded, IncidentReported, ReportPublished, ScheduledRequest

SOURCE = "/sreo/scan"


def on_scan_requested(runtime: Runtime, data: ScheduledRequest, event: CloudEvent) -> Iterable[CloudEvent]:
    threats = supervise(runtime, scan(runtime.settings, data.since))
    with runtime.db.session() as session:
        announce = record_threats(session, threats)
    return [
        make_event(types.THREAT_DETECTED, threat, source=SOURCE, subject=threat.subject,
                   event_id=derived_id(event["source"], event["id"], key), causationid=event["id"])
        for key, threat in announce
    ]


def on_report_published(runtime: Runtime, data: ReportPublished, event: CloudEvent) -> Iterable[CloudEvent]:
    on_report(runtime, data)
    return []


def on_incident_reported(runtime: Runtime, data: IncidentReported, event: CloudEvent) -> Iterable[CloudEvent]:
    on_incident(runtime, data)
    return []


def on_approval_recorded(runtime: Runtime, data: ApprovalRecorded, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        copies.record_approval(session, data)
    return []


HANDLERS: dict[str, Handler] = {
    types.SCAN_REQUESTED: on_scan_requested,
    types.REPORT_PUBLISHED: on_report_published,
    types.INCIDENT_REPORTED: on_incident_reported,
    types.APPROVAL_RECORDED: on_approval_recorded,
}
EMITS = (types.THREAT_DETECTED, types.ACTION_APPROVED)
