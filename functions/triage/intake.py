"""Alert intake: a notification of any size becomes one row per alert and one open incident per group.

Statements are batched per notification (one lookup of known fingerprints, one multi-row upsert of alerts), so a
repeat costs one row update and a group of thousands of alerts is stored in a few round trips. A concurrent
delivery of the same group meets the unique open group key and joins the incident the other one opened.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cloudevents.http import CloudEvent
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from functions._platform.config import Settings
from functions._platform.db.models import AlertRecord, Incident
from functions._platform.db.status import advance
from functions._platform.db.timeline import add_entries, add_entry, entry
from functions._platform.db.upsert import insert_many
from functions._platform.outbox import stage
from functions.triage import accept, alert_news
from functions.triage.models import SEVERITY_ALIASES
from functions.triage.workload import Resolver, affected_namespace, affected_workload, cluster_resolver
from sreo_events import types
from sreo_events.envelope import derived_id, make_event
from sreo_events.models import Alert, AlertReceived, IncidentResolved, RunbookRef

CHUNK = 500  # fingerprints per IN list: well inside every backend's bound-parameter limit


class LazyResolver:
    """Reads the cluster only when an alert names a pod, Job or PVC, and at most once per webhook."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._resolve: Resolver | None = None
        self._opened = False

    def __call__(self, kind: str, namespace: str | None, name: str) -> str | None:
        if not self._opened:
            self._opened, self._resolve = True, cluster_resolver(self.settings)
        return self._resolve(kind, namespace, name) if self._resolve else None


def group_key(received: AlertReceived, alert: Alert, service: str | None) -> str:
    """One incident per affected workload, even when Alertmanager groups a namespace's alerts together."""
    if received.group_key:
        return "|".join([received.group_key, service or ""])
    return "|".join([alert.labels.get("alertname", ""), service or "", alert.labels.get("namespace", "")])


def _known_statement():
    """fingerprint, alert row id, incident id of the `prints` in an open incident. The fingerprints are looked up
    first (a materialized CTE), so the cost follows the notification's size, not the number of open incidents,
    even on tables the planner has no statistics for yet (the start of a storm)."""
    hits = (select(AlertRecord.fingerprint, AlertRecord.id, AlertRecord.incident_id)
            .where(AlertRecord.fingerprint.in_(bindparam("prints", expanding=True))).cte("hits")
            .prefix_with("MATERIALIZED"))
    return (select(hits.c.fingerprint, hits.c.id, hits.c.incident_id)
            .join(Incident, Incident.id == hits.c.incident_id).where(Incident.resolved_at.is_(None)))


KNOWN = _known_statement()


def _known(session: Session, prints: list[str]) -> dict[str, tuple[int, str]]:
    """fingerprint -> (alert row id, incident id), for fingerprints already in an open incident."""
    known: dict[str, tuple[int, str]] = {}
    for start in range(0, len(prints), CHUNK):
        rows = session.execute(KNOWN, {"prints": prints[start:start + CHUNK]})
        known.update({fp: (row_id, incident_id) for fp, row_id, incident_id in rows})
    return known


def _open_for_group(session: Session, settings: Settings, received: AlertReceived, alert: Alert, key: str,
                    service: str | None, runbooks: list[RunbookRef], at: datetime,
                    resolver: Resolver | None = None) -> tuple[Incident, bool]:
    """Open the group's incident, or join the one a concurrent delivery opened first (the unique open key)."""
    labels = {**received.common_labels, **alert.labels}
    incident = accept._open_incident(
        session, settings, title=accept._alert_title(alert),
        description=alert.annotations.get("description", "") or alert.annotations.get("summary", ""),
        service=service, namespace=affected_namespace(labels, resolver),
        severity=SEVERITY_ALIASES.get(labels.get("severity", "").lower(), "warning"),
        started_at=alert.starts_at or at, source=received.source_kind, group_key=key, alerts=[alert],
        runbooks=runbooks,
    )
    if incident is not None:
        return incident, True
    existing = session.scalar(select(Incident).where(Incident.group_key == key, Incident.resolved_at.is_(None)))
    if existing is None:
        raise RuntimeError(f"the open incident of group {key!r} was resolved meanwhile; retry")
    return existing, False


def _store_new(session: Session, rows: list[dict]) -> None:
    """Insert alerts; one a concurrent delivery stored first is counted as a repeat instead."""
    insert_many(session, AlertRecord, rows, ["incident_id", "fingerprint"],
                {"count": lambda model, _: model.count + 1, "status": lambda _, proposed: proposed.status})


def _repeat(session: Session, repeats: list[dict]) -> None:
    """Each repeat (firing or resolved) is one update of its alert's row."""
    if repeats:
        session.connection().execute(
            update(AlertRecord).where(AlertRecord.id == bindparam("row_id"))
            .values(count=AlertRecord.count + 1, status=bindparam("new_status")), repeats)


@dataclass
class _Batch:
    """One notification's alerts, sorted into the incidents they join or open."""

    session: Session
    settings: Settings
    received: AlertReceived
    at: datetime
    runbooks: dict[str, list[RunbookRef]]
    known: dict[str, tuple[int, str]]
    incidents: dict[str, Incident] = field(default_factory=dict)
    results: dict[str, accept.Accepted] = field(default_factory=dict)
    opened_by: dict[str, Alert] = field(default_factory=dict)
    repeats: list[dict] = field(default_factory=list)
    new_rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    repeated: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def repeat(self, print_: str, alert: Alert) -> None:
        row_id, incident_id = self.known[print_]
        self.repeats.append({"row_id": row_id, "new_status": alert.status})
        self.repeated[incident_id].add(print_)
        self.incidents.setdefault(incident_id, self.session.get(Incident, incident_id))
        self.results.setdefault(incident_id, accept.Accepted(self.incidents[incident_id], False, []))

    def _open_for(self, key: str) -> Incident | None:
        return next((i for i in self.incidents.values() if i.group_key == key and i.resolved_at is None), None) or \
            self.session.scalar(select(Incident).where(Incident.group_key == key, Incident.resolved_at.is_(None)))

    def place(self, print_: str, alert: Alert, resolver: LazyResolver) -> None:
        """A new fingerprint joins its group's open incident, or (when firing) opens one."""
        service = affected_workload({**self.received.common_labels, **alert.labels}, resolver)
        key = group_key(self.received, alert, service)
        incident = self._open_for(key)
        if incident is None:
            if alert.status == "resolved":
                return  # nothing open to resolve
            incident, created = _open_for_group(self.session, self.settings, self.received, alert, key, service,
                                                self.runbooks.get(print_, []), self.at, resolver)
            if created:
                self.opened_by[incident.id] = alert
        self.incidents[incident.id] = incident
        _earliest_start(incident, alert)
        self.results.setdefault(incident.id, accept.Accepted(incident, incident.id in self.opened_by, []))
        self.new_rows[incident.id].append({
            "incident_id": incident.id, "fingerprint": print_, "alertname": alert.labels.get("alertname", "alert"),
            "status": alert.status, "labels": alert.labels, "annotations": alert.annotations,
            "starts_at": alert.starts_at, "received_at": self.at, "count": 1})

    def store(self) -> None:
        _repeat(self.session, self.repeats)
        entries = []
        for incident_id, rows in self.new_rows.items():
            _store_new(self.session, rows)
            opener = self.opened_by.get(incident_id)
            joined = [row for row in rows if opener is None or row["fingerprint"] != accept.fingerprint(opener)]
            if joined:
                names = sorted({row["alertname"] for row in joined})
                entries.append(entry(incident_id, f"alert:{joined[0]['fingerprint']}:joined", "triage",
                                     f"Alert {names[0]} joined the incident" if len(joined) == 1 else
                                     f"{len(joined)} alerts joined the incident ({', '.join(names[:5])})", self.at))
        add_entries(self.session, entries)

    def changed(self) -> dict[str, set[str]]:
        """Per incident stored before this notification, the fingerprints that joined or changed: report hears
        of them in `incident.updated` (a new incident's alerts go out with its `incident.reported`)."""
        prints: dict[str, set[str]] = defaultdict(set)
        for incident_id, fingerprints in self.repeated.items():
            prints[incident_id] |= fingerprints
        for incident_id, rows in self.new_rows.items():
            prints[incident_id] |= {row["fingerprint"] for row in rows}
        return {i: fingerprints for i, fingerprints in prints.items() if i not in self.opened_by}

    def resolve_quiet(self, alerts: dict[str, Alert], causation_id: str | None) -> None:
        """Incidents whose alerts have all resolved now are resolved, and report is told."""
        touched = {self.known[p][1] for p, a in alerts.items() if p in self.known and a.status == "resolved"} | {
            i for i, rows in self.new_rows.items() if any(row["status"] == "resolved" for row in rows)}
        resolved = [event for incident_id in touched
                    if (event := _resolve_if_quiet(self.session, self.incidents[incident_id], self.at, causation_id))]
        stage(self.session, resolved)


def accept_alerts(session: Session, settings: Settings, received: AlertReceived, causation_id: str | None = None,
                  runbooks: dict[str, list[RunbookRef]] | None = None, announce: bool = True) -> list[accept.Accepted]:
    """Firing alerts join the open incident of their fingerprint, else of their group; others open one.
    ``runbooks``: per fingerprint, the runbooks a new incident opened by that alert starts with.
    ``announce``: stage each new incident's fan-out in this transaction; when False, stage its hand-over to
    triage's consumer instead, which does the slow part (twin, runbooks, fan-out) after the caller answers."""
    alerts = {accept.fingerprint(alert): alert for alert in received.alerts}  # the last word on a fingerprint wins
    batch = _Batch(session, settings, received, accept.now(), runbooks or {}, _known(session, list(alerts)))
    resolver = LazyResolver(settings)
    for print_, alert in alerts.items():
        if print_ in batch.known:
            batch.repeat(print_, alert)
        else:
            batch.place(print_, alert, resolver)
    batch.store()
    batch.resolve_quiet(alerts, causation_id)
    stage(session, alert_news.changed(session, batch.incidents, batch.changed(), causation_id))
    for accepted in batch.results.values():
        if not accepted.created:
            continue
        if announce:
            accepted.events = accept.announce(session, accepted.incident.id, [], causation_id)
        else:
            accepted.events = [hand_over(received, accepted.incident, batch.opened_by[accepted.incident.id])]
            stage(session, accepted.events)
    return list(batch.results.values())


def hand_over(received: AlertReceived, incident: Incident, alert: Alert) -> CloudEvent:
    """The alert that opened `incident`, handed to triage's own consumer for the slow part of intake."""
    data = AlertReceived(source_kind=received.source_kind, group_key=incident.group_key, receiver=received.receiver,
                         common_labels=received.common_labels, alerts=[alert])
    return make_event(types.ALERT_RECEIVED, data, source=accept.HANDOVER_SOURCE, subject=incident.id,
                      correlationid=incident.id, event_id=derived_id(incident.id, "accepted"))


def _resolve_if_quiet(session: Session, incident: Incident, at: datetime,
                      causation_id: str | None) -> CloudEvent | None:
    """Resolve the incident once every alert behind it has resolved, and say so to report (and the pages)."""
    statuses = session.scalars(select(AlertRecord.status).filter_by(incident_id=incident.id)).all()
    if incident.resolved_at is not None or not statuses or any(status != "resolved" for status in statuses):
        return None
    advance(session, incident.id, "resolved", at)
    add_entry(session, incident.id, "resolved", "triage", "All alerts resolved", at)
    return make_event(types.INCIDENT_RESOLVED, IncidentResolved(incident_id=incident.id, resolved_at=at),
                      source=accept.SOURCE, subject=incident.id, correlationid=incident.id, causationid=causation_id,
                      event_id=derived_id(incident.id, "resolved"))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _earliest_start(incident: Incident, alert: Alert) -> None:
    """An incident starts at its earliest alert's `startsAt`, also when a later alert of the group started earlier."""
    if alert.starts_at and alert.starts_at < _aware(incident.started_at):
        incident.started_at = alert.starts_at
        incident.window_start = min(_aware(incident.window_start), alert.starts_at - accept.LOOKBACK)


def note_truncated(session: Session, incident_id: str, truncated: int) -> None:
    """Alertmanager's `max_alerts` dropped alerts from the notification: say so on the incident."""
    add_entry(session, incident_id, f"truncated:{truncated}", "triage",
              f"Alertmanager truncated this notification: {truncated} more alert(s) of the group were not sent",
              accept.now())
