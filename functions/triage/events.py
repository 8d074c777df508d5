"""Triage's CloudEvent handlers: alert events, predictive threats and the sweep that re-sends fan-outs."""

from __future__ import annotations

from collections.abc import Iterable

from cloudevents.http import CloudEvent

from events import types
from events.models import Alert, AlertReceived, ScheduledRequest, ThreatDetected
from functions._platform.consumer import Handler
from functions._platform.runtime import Runtime
from functions._platform.topology.freshness import FRESH_FOR_TRIAGE, refresh_if_stale
from functions.triage import core, runbooks

THREAT_SEVERITY = {"critical": "critical", "high": "critical", "medium": "warning", "low": "info"}
THREAT_ORDER = ("low", "medium", "high", "critical")


def _fan_out_and_mark(runtime: Runtime, accepted: list[core.Accepted]) -> Iterable[CloudEvent]:
    """A generator: the consumer emits each event before asking for the next, so marking runs after sending."""
    for item in accepted:
        yield from item.events
    with runtime.db.session() as session:
        core.mark_fanned_out(session, [item.incident.id for item in accepted if item.events])


def on_alert(runtime: Runtime, data: AlertReceived, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        refresh_if_stale(session, runtime.settings, max_age=FRESH_FOR_TRIAGE)
    matched = runbooks.for_alerts(runtime.settings, data.alerts)
    with runtime.db.session() as session:
        accepted = core.accept_alerts(session, runtime.settings, data, event["id"], matched)
    return _fan_out_and_mark(runtime, accepted)


def on_threat(runtime: Runtime, data: ThreatDetected, event: CloudEvent) -> Iterable[CloudEvent]:
    """A severe predictive finding becomes an incident, grouped by kind and subject while it stays open."""
    floor = runtime.settings.incident_threat_level
    if THREAT_ORDER.index(data.level) < THREAT_ORDER.index(floor if floor in THREAT_ORDER else "high"):
        return []
    alert = Alert(
        labels={"alertname": f"Predicted_{data.kind}", "service": data.subject, "sreo_source": "scan",
                "severity": THREAT_SEVERITY[data.level]},
        annotations={"summary": f"{data.kind.replace('_', ' ')} on {data.subject}",
                     "description": "; ".join(filter(None, [data.predicted_impact, data.mitigation]))},
        starts_at=data.window.start,
    )
    received = AlertReceived(source_kind="cloudevent", group_key=f"threat|{data.kind}|{data.subject}",
                             alerts=[alert])
    return on_alert(runtime, received, event)


def on_sweep(runtime: Runtime, data: ScheduledRequest, event: CloudEvent) -> Iterable[CloudEvent]:
    with runtime.db.session() as session:
        events = core.unsent_fan_outs(session)
    yield from events
    with runtime.db.session() as session:
        core.mark_fanned_out(session, sorted({e["correlationid"] for e in events}))


HANDLERS: dict[str, Handler] = {
    types.ALERT_RECEIVED: on_alert,
    types.THREAT_DETECTED: on_threat,
    types.SWEEP_REQUESTED: on_sweep,
}
EMITS = (types.INCIDENT_REPORTED, types.INVESTIGATION_REQUESTED, types.INCIDENT_RESOLVED)
