"""Triage: turn reports and alerts into incidents, and fan out one investigation per domain."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cloudevents.http import CloudEvent
from sqlalchemy import select
from sqlalchemy.orm import Session

from events import types
from events.envelope import derived_id, make_event
from events.models import (
    Alert,
    AlertReceived,
    IncidentReported,
    IncidentResolved,
    InvestigationRequested,
    RunbookRef,
    TimeWindow,
)
from events.types import DOMAINS
from functions._platform.config import Settings
from functions._platform.db.models import AlertRecord, Incident
from functions._platform.db.timeline import add_entry
from functions.triage.classify import classify
from functions.triage.models import IncidentRequest

SOURCE = "/sreo/triage"
LOOKBACK = timedelta(minutes=15)
SEVERITY_ALIASES = {"page": "critical", "critical": "critical", "error": "critical", "high": "critical",
                    "warning": "warning", "ticket": "warning", "medium": "warning", "info": "info", "low": "info"}
SERVICE_LABELS = ("service", "app", "app_kubernetes_io_name", "deployment", "job", "container")


@dataclass
class Accepted:
    incident: Incident
    created: bool
    events: list[CloudEvent]


def now() -> datetime:
    return datetime.now(UTC)


def new_incident_id(at: datetime) -> str:
    return f"inc-{at:%Y%m%d}-{secrets.token_hex(4)}"


def fingerprint(alert: Alert) -> str:
    if alert.fingerprint:
        return alert.fingerprint
    return hashlib.sha256(json.dumps(alert.labels, sort_keys=True).encode()).hexdigest()[:16]


def _open_incident(session: Session, settings: Settings, *, title: str, description: str, service: str | None,
                   namespace: str | None, severity: str, started_at: datetime, source: str,
                   group_key: str | None, alerts: list[Alert], runbooks: list[RunbookRef]) -> Incident:
    accepted = now()
    started_at = min(started_at, accepted)
    reasons = classify(description or title, alerts, service)
    if source == "http":  # free text: an LLM, when configured, may add domains; it never removes any
        from functions._platform.llm import route

        for domain in route(description, [d for d in DOMAINS if d not in reasons]) or []:
            reasons[domain] = ["suggested by the LLM from the report text"]
    budget_note = None
    if service and settings.prometheus_url:
        from functions._platform.slo_budget import adjust_severity, budget_state

        severity, budget_note = adjust_severity(severity, budget_state(service, settings))
    incident = Incident(
        id=new_incident_id(accepted), title=title[:300], description=description, service=service,
        namespace=namespace, severity=severity, status="open", source=source, group_key=group_key,
        domains=sorted(reasons), classification=reasons, started_at=started_at,
        runbooks=[ref.model_dump(mode="json") for ref in runbooks],
        window_start=started_at - LOOKBACK, window_end=accepted + timedelta(minutes=1),
        deadline_at=accepted + timedelta(seconds=settings.correlation_deadline_s), created_at=accepted,
    )
    session.add(incident)
    session.flush()
    add_entry(session, incident.id, "opened", "triage", f"Incident opened from {source}: {incident.title}", accepted)
    if budget_note:
        add_entry(session, incident.id, "error-budget", "triage", f"Severity {severity}: {budget_note}", accepted)
    add_entry(session, incident.id, "classified", "triage",
              "Investigating " + ", ".join(f"{d} ({'; '.join(r[:2])})" for d, r in reasons.items()), accepted)
    if runbooks:
        add_entry(session, incident.id, "runbooks", "triage", "Runbooks: " + ", ".join(
            f"{ref.id} ({ref.section})" if ref.section else ref.id for ref in runbooks), accepted)
    return incident


def related_components(session: Session, service: str | None, limit: int = 10) -> list[str]:
    """The service's neighbours on the digital twin (its dependencies first, then its callers)."""
    if not service:
        return []
    from functions._platform.topology.attach import attach_one
    from functions._platform.topology.store import load_graph

    graph = load_graph(session)  # refreshed before the incident's transaction (see routes.refresh_twin)
    node = attach_one(graph, service) if graph.nodes else None
    if node is None:
        return []
    callees = [edge.callee for edge in graph.edges if edge.caller == node]
    callers = [edge.caller for edge in graph.edges if edge.callee == node]
    return [name for name in dict.fromkeys(callees + callers) if name != node][:limit]


def fan_out(session: Session, incident: Incident, causation_id: str | None = None) -> list[CloudEvent]:
    window = TimeWindow(start=incident.window_start, end=incident.window_end)
    related = related_components(session, incident.service)
    common = {"source": SOURCE, "correlationid": incident.id, "causationid": causation_id}
    reported = IncidentReported(
        incident_id=incident.id, title=incident.title, description=incident.description, service=incident.service,
        namespace=incident.namespace, severity=incident.severity, started_at=incident.started_at, window=window,
        domains=incident.domains, deadline=incident.deadline_at, classification=incident.classification,
        alertnames=sorted({r.split(" ", 1)[1] for v in incident.classification.values() for r in v
                           if r.startswith("alertname ")}),
        runbooks=incident.runbooks or [],
    )
    events = [make_event(types.INCIDENT_REPORTED, reported, event_id=derived_id(incident.id, "reported"),
                         subject=incident.id, **common)]
    for domain in incident.domains:
        hints = incident.classification.get(domain, [])
        request = InvestigationRequested(
            incident_id=incident.id, domain=domain, service=incident.service, related=related,
            namespace=incident.namespace, window=window, hints=hints, deadline=incident.deadline_at,
        )
        events.append(make_event(types.INVESTIGATION_REQUESTED, request, domain=domain, subject=incident.id,
                                 event_id=derived_id(incident.id, "investigate", domain), **common))
    return events


def accept_report(session: Session, settings: Settings, request: IncidentRequest,
                  runbooks: list[RunbookRef] | None = None) -> Accepted:
    title = request.text.splitlines()[0][:120]
    incident = _open_incident(
        session, settings, title=title, description=request.text, service=request.service,
        namespace=request.namespace, severity=request.severity, started_at=request.started_at or now(),
        source="http", group_key=None, alerts=[], runbooks=runbooks or [],
    )
    return Accepted(incident, True, fan_out(session, incident))


def _alert_title(alert: Alert) -> str:
    name = alert.labels.get("alertname", "alert")
    summary = alert.annotations.get("summary") or alert.annotations.get("message") or ""
    return f"{name}: {summary}" if summary else name


def _service_of(labels: dict[str, str]) -> str | None:
    return next((labels[key] for key in SERVICE_LABELS if labels.get(key)), None)


def accept_alerts(session: Session, settings: Settings, received: AlertReceived,
                  causation_id: str | None = None,
                  runbooks: dict[str, list[RunbookRef]] | None = None) -> list[Accepted]:
    """Firing alerts join the open incident of their group (or of their fingerprint); others open one.
    ``runbooks``: per alert fingerprint, the runbooks a new incident opened by that alert starts with."""
    results: dict[str, Accepted] = {}
    at = now()
    for alert in received.alerts:
        print_ = fingerprint(alert)
        group_key = received.group_key or "|".join(
            [alert.labels.get("alertname", ""), _service_of(alert.labels) or "", alert.labels.get("namespace", "")])
        record = session.scalar(
            select(AlertRecord).join(Incident).where(AlertRecord.fingerprint == print_, Incident.resolved_at.is_(None)))
        incident = session.get(Incident, record.incident_id) if record else session.scalar(
            select(Incident).where(Incident.group_key == group_key, Incident.resolved_at.is_(None))
            .order_by(Incident.created_at.desc()))
        created = False
        if incident is None:
            if alert.status == "resolved":
                continue
            labels = {**received.common_labels, **alert.labels}
            incident = _open_incident(
                session, settings, title=_alert_title(alert),
                description=alert.annotations.get("description", "") or alert.annotations.get("summary", ""),
                service=_service_of(labels), namespace=labels.get("namespace"),
                severity=SEVERITY_ALIASES.get(labels.get("severity", "").lower(), "warning"),
                started_at=alert.starts_at or at, source=received.source_kind, group_key=group_key, alerts=[alert],
                runbooks=(runbooks or {}).get(print_, []),
            )
            created = True
        if record is None:
            record = session.scalar(select(AlertRecord).filter_by(incident_id=incident.id, fingerprint=print_))
        if record is None:
            session.add(AlertRecord(
                incident_id=incident.id, fingerprint=print_, alertname=alert.labels.get("alertname", "alert"),
                status=alert.status, labels=alert.labels, annotations=alert.annotations,
                starts_at=alert.starts_at, received_at=at))
            if not created:
                add_entry(session, incident.id, f"alert:{print_}:joined", "triage",
                          f"Alert {alert.labels.get('alertname', '')} joined the incident", at)
        else:
            record.count += 1
            record.status = alert.status
        if alert.starts_at and alert.starts_at < _aware(incident.started_at):  # the start is the earliest alert's
            incident.started_at = alert.starts_at
            incident.window_start = min(_aware(incident.window_start), alert.starts_at - LOOKBACK)
        session.flush()
        previous = results.get(incident.id)
        results[incident.id] = Accepted(incident, created or bool(previous and previous.created),
                                        previous.events if previous else [])
        if alert.status == "resolved" and _resolve_if_quiet(session, incident, at):
            results[incident.id].events.append(make_event(
                types.INCIDENT_RESOLVED, IncidentResolved(incident_id=incident.id, resolved_at=at),
                source=SOURCE, subject=incident.id, correlationid=incident.id, causationid=causation_id,
                event_id=derived_id(incident.id, "resolved")))
    for accepted in results.values():
        if accepted.created:
            accepted.events = fan_out(session, accepted.incident, causation_id) + accepted.events
    return list(results.values())


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _resolve_if_quiet(session: Session, incident: Incident, at: datetime) -> bool:
    """Resolve the incident when every alert behind it has resolved; True when this call resolved it."""
    statuses = session.scalars(select(AlertRecord.status).filter_by(incident_id=incident.id)).all()
    if incident.resolved_at is None and statuses and all(status == "resolved" for status in statuses):
        incident.resolved_at = at
        incident.status = "resolved"
        add_entry(session, incident.id, "resolved", "triage", "All alerts resolved", at)
        return True
    return False


def unsent_fan_outs(session: Session, older_than: timedelta = timedelta(seconds=5)) -> list[CloudEvent]:
    """Incidents stored but never announced (the broker was down): rebuild their events, same ids."""
    cutoff = now() - older_than
    stale = session.scalars(select(Incident).where(
        Incident.fanned_out_at.is_(None), Incident.correlated_at.is_(None), Incident.created_at < cutoff))
    return [event for incident in stale.all() for event in fan_out(session, incident)]


def mark_fanned_out(session: Session, incident_ids: list[str]) -> None:
    for incident in session.scalars(select(Incident).where(Incident.id.in_(incident_ids))):
        incident.fanned_out_at = incident.fanned_out_at or now()
