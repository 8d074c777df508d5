"""Accepting an incident: open it (classified, windowed, grouped), then announce it once: `incident.reported`
and one investigation request per domain."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cloudevents.http import CloudEvent
from sqlalchemy import select, text
from sqlalchemy.orm import Session, make_transient_to_detached

from functions._platform.config import Settings
from functions._platform.db.models import AlertRecord, Incident
from functions._platform.db.timeline import add_entries, entry
from functions._platform.db.upsert import insert_unless_conflict
from functions._platform.domains.traces.source import traces_configured
from functions._platform.outbox.milestone import reach
from functions._platform.runtime import Runtime
from functions._platform.topology.freshness import FRESH_FOR_TRIAGE, refresh_if_stale
from functions.triage import alert_news
from functions.triage.classify import classify, code_hints, traces_reasons
from functions.triage.models import IncidentRequest
from sreo_events import types
from sreo_events.envelope import derived_id, make_event
from sreo_events.models import (
    Alert,
    IncidentReported,
    InvestigationRequested,
    RunbookRef,
    TimeWindow,
)
from sreo_events.types import DOMAINS

SOURCE = "/sreo/triage"
HANDOVER_SOURCE = f"{SOURCE}/intake"
LOOKBACK = timedelta(minutes=15)


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


def domains_to_investigate(settings: Settings, text: str, alerts: list[Alert], service: str | None,
                           source: str) -> dict[str, list[str]]:
    """Domain -> why it is asked: the classifier's signals, the code when the service has a repository, and what an
    LLM (when configured) adds to a free-text report; it never removes any."""
    reasons = traces_reasons(classify(text, alerts, service),
                             traces_configured(settings) or "traces" in settings.mcp_targets)
    if service and service in settings.code_repos:
        reasons["code"] = sorted({*reasons.get("code", []), f"repository configured for {service}",
                                  *code_hints(alerts)})
    if source == "http":
        from functions._platform.llm import route

        for domain in route(text, [d for d in DOMAINS if d not in reasons]) or []:
            reasons[domain] = ["suggested by the LLM from the report text"]
    return reasons


def _budgeted_severity(settings: Settings, service: str | None, severity: str) -> tuple[str, str | None]:
    """The severity after the service's error budget is taken into account, and why it changed (if it did)."""
    if not (service and settings.prometheus_url):
        return severity, None
    from functions._platform.slo_budget import adjust_severity, budget_state

    return adjust_severity(severity, budget_state(service, settings))


def _insert(session: Session, incident: Incident) -> Incident | None:
    """Store it; with a group key, only when the group has no open incident yet (the unique open group key)."""
    if incident.group_key is None:
        session.add(incident)
        session.flush()
        return incident
    values = {column.key: getattr(incident, column.key) for column in Incident.__table__.columns}
    if not insert_unless_conflict(session, Incident, values, ["group_key"], where=text("resolved_at IS NULL")):
        return None
    for key, value in values.items():  # the row is exactly these values: attach it without reading it back
        setattr(incident, key, value)
    make_transient_to_detached(incident)
    session.add(incident)
    return incident


def runbooks_entry(incident_id: str, runbooks: list[RunbookRef], at: datetime) -> list[dict]:
    return [entry(incident_id, "runbooks", "triage", "Runbooks: " + ", ".join(
        f"{ref.id} ({ref.section})" if ref.section else ref.id for ref in runbooks), at)] if runbooks else []


def note_runbooks(session: Session, incident_id: str, runbooks: list[RunbookRef], at: datetime) -> None:
    add_entries(session, runbooks_entry(incident_id, runbooks, at))


def _open_incident(session: Session, settings: Settings, *, title: str, description: str, service: str | None,
                   namespace: str | None, severity: str, started_at: datetime, source: str,
                   group_key: str | None, alerts: list[Alert], runbooks: list[RunbookRef]) -> Incident | None:
    """The new incident; None when the group already has an open one (a concurrent delivery opened it)."""
    accepted = now()
    started_at = min(started_at, accepted)
    reasons = domains_to_investigate(settings, description or title, alerts, service, source)
    severity, budget_note = _budgeted_severity(settings, service, severity)
    incident = _insert(session, Incident(
        id=new_incident_id(accepted), title=title[:300], description=description, service=service,
        namespace=namespace, severity=severity, status="open", source=source, group_key=group_key,
        domains=sorted(reasons), classification=reasons, started_at=started_at,
        runbooks=[ref.model_dump(mode="json") for ref in runbooks],
        window_start=started_at - LOOKBACK, window_end=accepted + timedelta(minutes=1),
        deadline_at=accepted + timedelta(seconds=settings.correlation_deadline_s), created_at=accepted,
    ))
    if incident is None:
        return None
    add_entries(session, [
        entry(incident.id, "opened", "triage", f"Incident opened from {source}: {incident.title}", accepted),
        *([entry(incident.id, "error-budget", "triage", f"Severity {severity}: {budget_note}", accepted)]
          if budget_note else []),
        entry(incident.id, "classified", "triage",
              "Investigating " + ", ".join(f"{d} ({'; '.join(r[:2])})" for d, r in reasons.items()), accepted),
        *runbooks_entry(incident.id, runbooks, accepted)])
    return incident


def related_components(session: Session, service: str | None, limit: int = 20) -> list[str]:
    """The service's dependencies on the digital twin, transitively and nearest first, then its direct callers;
    at most `limit` (the agents analyse these besides the service)."""
    if not service:
        return []
    from functions._platform.topology.attach import attach_one
    from functions._platform.topology.store import load_graph

    graph = load_graph(session)  # refreshed before the incident's transaction (see refresh_twin)
    node = attach_one(graph, service) if graph.nodes else None
    if node is None:
        return []
    callees: dict[str, list[str]] = {}
    for edge in graph.edges:
        callees.setdefault(edge.caller, []).append(edge.callee)
    reached, frontier = [node], [node]
    while frontier and len(reached) <= limit:  # breadth first: nearer dependencies are cheaper suspects
        frontier = [c for n in frontier for c in sorted(callees.get(n, [])) if c not in reached]
        reached.extend(dict.fromkeys(frontier))
    callers = sorted(edge.caller for edge in graph.edges if edge.callee == node)
    return [name for name in dict.fromkeys(reached + callers) if name != node][:limit]


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
        runbooks=incident.runbooks or [], source=incident.source, group_key=incident.group_key,
        accepted_at=incident.created_at,
    )
    reported.alerts, more_alerts = alert_news.for_reported(incident, alert_news.of_incident(session, incident.id),
                                                           len(reported.model_dump_json()), causation_id)
    events = [make_event(types.INCIDENT_REPORTED, reported, event_id=derived_id(incident.id, "reported"),
                         subject=incident.id, **common), *more_alerts]
    for domain in incident.domains:
        hints = incident.classification.get(domain, [])
        request = InvestigationRequested(
            incident_id=incident.id, domain=domain, service=incident.service, related=related,
            namespace=incident.namespace, window=window, hints=hints, deadline=incident.deadline_at,
            started_at=incident.started_at,
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
        source="http", group_key=None, alerts=[], runbooks=[],
    )
    # in the incident's own transaction: it is announced if and only if it is stored
    return Accepted(incident, True, announce(session, incident.id, runbooks or []))


def _alert_title(alert: Alert) -> str:
    name = alert.labels.get("alertname", "alert")
    summary = alert.annotations.get("summary") or alert.annotations.get("message") or ""
    return f"{name}: {summary}" if summary else name


def announce(session: Session, incident_id: str, runbooks: list[RunbookRef],
             causation_id: str | None = None) -> list[CloudEvent]:
    """Fan out a stored incident, exactly once, whichever path accepted it (report, alert event, the webhook's
    hand-over, the sweep): the runbooks it starts with, then `incident.reported` and one request per domain."""

    def fanned_out() -> list[CloudEvent]:
        incident = session.get(Incident, incident_id)
        if runbooks:
            incident.runbooks = [ref.model_dump(mode="json") for ref in runbooks]
            note_runbooks(session, incident.id, runbooks, incident.fanned_out_at)
        return fan_out(session, incident, causation_id)

    return reach(session, Incident, incident_id, "fanned_out_at", now(), fanned_out)


def refresh_twin(runtime: Runtime) -> None:
    """Before accepting: the fan-out names the service's neighbours on the twin, so the twin must be recent."""
    with runtime.db.session() as session:
        refresh_if_stale(session, runtime.settings, max_age=FRESH_FOR_TRIAGE)


def unannounced(session: Session, older_than: timedelta = timedelta(seconds=5)) -> list[tuple[str, list[Alert]]]:
    """Incidents stored but not yet fanned out (their hand-over is late or was lost), with their alerts."""
    cutoff = now() - older_than
    stale = session.scalars(select(Incident).where(
        Incident.fanned_out_at.is_(None), Incident.correlated_at.is_(None), Incident.created_at < cutoff)).all()
    return [(incident.id, [Alert(status=a.status, labels=a.labels, annotations=a.annotations, starts_at=a.starts_at,
                                 fingerprint=a.fingerprint)
                           for a in session.scalars(select(AlertRecord).filter_by(incident_id=incident.id)
                                                    .order_by(AlertRecord.id).limit(50))])
            for incident in stale]

