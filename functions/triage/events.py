"""Triage's CloudEvent handlers: alert events (and the webhook's hand-overs), predictive threats, and the sweep
that finishes any intake left unannounced."""

from __future__ import annotations

from collections.abc import Iterable

from cloudevents.http import CloudEvent

from functions._platform.consumer import Handler
from functions._platform.runtime import Runtime
from functions.triage import accept, intake, runbooks
from sreo_events import types
from sreo_events.models import Alert, AlertReceived, ScheduledRequest, ThreatDetected

THREAT_SEVERITY = {"critical": "critical", "high": "critical", "medium": "warning", "low": "info"}
THREAT_ORDER = ("low", "medium", "high", "critical")


def _finish_intake(runtime: Runtime, incident_id: str, alerts: list[Alert], causation_id: str) -> None:
    """The slow half of intake, run from the outbox: twin, runbooks, then the fan-out, exactly once."""
    accept.refresh_twin(runtime)
    matched = runbooks.for_alerts(runtime.settings, alerts)
    refs = next((matched[accept.fingerprint(alert)] for alert in alerts if matched.get(accept.fingerprint(alert))), [])
    with runtime.db.session() as session:
        accept.announce(session, incident_id, refs, causation_id)


def on_alert(runtime: Runtime, data: AlertReceived, event: CloudEvent) -> Iterable[CloudEvent]:
    if event["source"] == accept.HANDOVER_SOURCE and event.get("correlationid"):
        _finish_intake(runtime, event["correlationid"], data.alerts, event["id"])
        return []
    accept.refresh_twin(runtime)
    matched = runbooks.for_alerts(runtime.settings, data.alerts)
    with runtime.db.session() as session:  # new incidents and their fan-out commit together
        intake.accept_alerts(session, runtime.settings, data, event["id"], matched)
    return []


def on_threat(runtime: Runtime, data: ThreatDetected, event: CloudEvent) -> Iterable[CloudEvent]:
    """A severe predictive finding becomes an incident, grouped by kind and subject while it stays open."""
    floor = runtime.settings.incident_threat_level
    if THREAT_ORDER.index(data.level) < THREAT_ORDER.index(floor if floor in THREAT_ORDER else "high"):
        return []
    alert = Alert(
        labels={"alertname": f"Predicted_{data.kind}", "service": data.subject, "sreo_source": "scan",
                "severity": THREAT_SEVERITY[data.level],
                **{k: str(data.evidence[k]) for k in ("endpoint", "old_revision", "new_revision") if data.evidence.get(k)}},
        annotations={"summary": f"{data.kind.replace('_', ' ')} on {data.subject}",
                     "description": "; ".join(filter(None, [data.predicted_impact, data.mitigation]))},
        starts_at=data.window.start,
    )
    received = AlertReceived(source_kind="cloudevent", group_key=f"threat|{data.kind}|{data.subject}",
                             alerts=[alert])
    return on_alert(runtime, received, event)


def on_sweep(runtime: Runtime, data: ScheduledRequest, event: CloudEvent) -> Iterable[CloudEvent]:
    """Incidents whose hand-over never ran (stored before an upgrade, or its event dead-lettered)."""
    with runtime.db.session() as session:
        stale = accept.unannounced(session)
    for incident_id, alerts in stale:
        _finish_intake(runtime, incident_id, alerts, event["id"])
    return []


HANDLERS: dict[str, Handler] = {
    types.ALERT_RECEIVED: on_alert,
    types.THREAT_DETECTED: on_threat,
    types.SWEEP_REQUESTED: on_sweep,
}
EMITS = (types.INCIDENT_REPORTED, types.INVESTIGATION_REQUESTED, types.INCIDENT_RESOLVED,
         types.INCIDENT_UPDATED)
