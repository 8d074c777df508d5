"""Toil's own compact facts about each incident, kept from the events it hears, so the weekly report reads no other
function's table: what `incident.reported` and `incident.updated` said (service, severity, start, alerts),
`incident.resolved` (when), `report.published` (when first published, and the top cause) and
`evidence.collected` (each domain's answer). Every event arrives in any order and any number of times; each
column only moves one way (the earliest time, the highest alert count, an answer over a request), so the rows
end up the same whatever the order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from functions._platform.db.models import Base


class ToilIncident(Base):
    """One incident; the columns of an event not heard yet stay NULL (`created_at` is NULL until it is reported)."""

    __tablename__ = "toil_incidents"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    service: Mapped[str | None] = mapped_column(String(200))
    severity: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(20))
    started_at: Mapped[datetime | None]
    created_at: Mapped[datetime | None] = mapped_column(index=True)  # when triage accepted it
    reported_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    top_component: Mapped[str | None] = mapped_column(String(300))  # the top cause of the newest publication
    top_kind: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime | None]  # time of the publication the top cause comes from


class ToilAlert(Base):
    __tablename__ = "toil_alerts"
    incident_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(200), primary_key=True)
    alertname: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer)
    position: Mapped[int | None] = mapped_column(Integer)  # its place in `incident.reported`; NULL when it joined later


class ToilDomain(Base):
    __tablename__ = "toil_domains"
    incident_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    domain: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))  # requested (never answered) | success | no_data | error
    error: Mapped[str | None] = mapped_column(String(300))
