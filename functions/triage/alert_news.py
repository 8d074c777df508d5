"""What triage tells report about an incident's alerts: the alerts behind `incident.reported`, and
`incident.updated` when alerts join an incident already stored or change (a repeat, a resolution). Each event
stays well under the 64 KiB bound: the alerts are split across as many events as they need."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from cloudevents.http import CloudEvent
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from functions._platform.db.models import AlertRecord, Incident
from sreo_events import types
from sreo_events.envelope import derived_id, make_event
from sreo_events.models import IncidentAlert, IncidentUpdated, TimeWindow

BUDGET = 48 * 1024  # bytes of alerts per event, leaving room for the rest of the payload
PER_REPORTED, PER_UPDATED = 50, 500  # the payloads' max_length
CLIP = 512  # a single alert too large for an event keeps this much of each label and annotation
CHUNK = 500  # fingerprints per IN list


Sized = tuple[IncidentAlert, int]  # an alert as events carry it, and the bytes it takes there


def summary(row: AlertRecord) -> Sized:
    alert = IncidentAlert(fingerprint=row.fingerprint, alertname=row.alertname[:300],
                          status=row.status if row.status in ("firing", "resolved") else "firing",
                          count=max(row.count or 1, 1), labels=dict(row.labels or {}),
                          annotations=dict(row.annotations or {}), starts_at=row.starts_at)
    size = _size(alert)
    if size > BUDGET:
        alert.labels = {k: str(v)[:CLIP] for k, v in alert.labels.items()}
        alert.annotations = {k: str(v)[:CLIP] for k, v in alert.annotations.items()}
        size = _size(alert)
    return alert, size


def _size(alert: IncidentAlert) -> int:
    return len(alert.model_dump_json(exclude_none=True))


def of_incident(session: Session, incident_id: str) -> list[Sized]:
    """Every alert of the incident, in the order it came."""
    return [summary(row) for row in session.scalars(
        select(AlertRecord).filter_by(incident_id=incident_id).order_by(AlertRecord.id))]


def split(alerts: list[Sized], first_budget: int = BUDGET,
          first_count: int = PER_UPDATED) -> list[list[Sized]]:
    """The alerts in order, in groups that each fit one event; the first group within `first_budget` (it stays
    empty when even one alert does not fit there)."""
    groups: list[list[Sized]] = [[]]
    used, budget, most = 0, first_budget, first_count
    for alert, size in alerts:
        if used + size + 1 > budget or len(groups[-1]) >= most:
            if groups[-1] or len(groups) == 1:
                groups.append([])
            used, budget, most = 0, BUDGET, PER_UPDATED
        groups[-1].append((alert, size))
        used += size + 1
    return groups


def updated(incident: Incident, alerts: list[Sized], *id_parts: str,
            causation_id: str | None = None) -> list[CloudEvent]:
    """`incident.updated` events carrying `alerts` (as many as they need), with ids derived from `id_parts`."""
    window = TimeWindow(start=incident.window_start, end=incident.window_end)
    return [make_event(types.INCIDENT_UPDATED,
                       IncidentUpdated(incident_id=incident.id, started_at=incident.started_at, window=window,
                                       alerts=[alert for alert, _ in group]),
                       source="/sreo/triage", subject=incident.id, correlationid=incident.id,
                       causationid=causation_id, event_id=derived_id(incident.id, "updated", *id_parts, str(index)))
            for index, group in enumerate(split(alerts)) if group]


def changed(session: Session, incidents: dict[str, Incident], prints: dict[str, set[str]],
            causation_id: str | None) -> list[CloudEvent]:
    """One `incident.updated` (or more) per incident whose alerts (`prints`: per incident, fingerprints) joined
    or changed in this transaction, each alert as it is now stored."""
    if not prints:
        return []
    delivery = causation_id or str(uuid.uuid4())
    statement = select(AlertRecord).where(AlertRecord.incident_id == bindparam("incident"),
                                          AlertRecord.fingerprint.in_(bindparam("prints", expanding=True)))
    events = []
    for incident_id, fingerprints in sorted(prints.items()):
        ordered = sorted(fingerprints)
        rows: list[AlertRecord] = []
        for start in range(0, len(ordered), CHUNK):
            rows.extend(session.scalars(statement, {"incident": incident_id, "prints": ordered[start:start + CHUNK]}))
        rows.sort(key=lambda row: row.id)
        events.extend(updated(incidents[incident_id], [summary(row) for row in rows], delivery,
                              causation_id=causation_id))
    return events


def for_reported(incident: Incident, alerts: Iterable[Sized], reported_bytes: int,
                 causation_id: str | None) -> tuple[list[IncidentAlert], list[CloudEvent]]:
    """The alerts `incident.reported` carries (what fits beside the `reported_bytes` of the rest of it), and
    `incident.updated` events for any others."""
    groups = split(list(alerts), max(BUDGET + 8 * 1024 - reported_bytes, 0), PER_REPORTED)
    rest = [alert for group in groups[1:] for alert in group]
    return [alert for alert, _ in groups[0]], updated(incident, rest, "reported", causation_id=causation_id) if rest else []
