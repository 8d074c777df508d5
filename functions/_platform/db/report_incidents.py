"""Report's own record of each incident it reports on: what `incident.reported` and `incident.updated` said about
it and its alerts, and its status as report knows it. Report lists, shows and builds reports from these rows,
never from triage's `incidents` and `alerts`. A correlation that arrives before `incident.reported` waits in
`report_waiting_correlations` until the record opens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from functions._platform.db.models import Base


class ReportIncident(Base):
    __tablename__ = "report_incidents"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    service: Mapped[str | None] = mapped_column(String(200), index=True)
    namespace: Mapped[str | None] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)  # open|correlated|reported|resolved, forward only
    source: Mapped[str] = mapped_column(String(20))
    domains: Mapped[list[Any]] = mapped_column(default=list)
    classification: Mapped[dict[str, Any]] = mapped_column(default=dict)
    alertnames: Mapped[list[Any]] = mapped_column(default=list)
    runbooks: Mapped[list[Any]] = mapped_column(default=list)  # RunbookRef dicts matched at triage
    started_at: Mapped[datetime] = mapped_column(index=True)
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(index=True)  # when triage accepted it
    correlated_at: Mapped[datetime | None]
    reported_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]


class ReportAlert(Base):
    __tablename__ = "report_alerts"
    __table_args__ = (UniqueConstraint("incident_id", "fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # the order report learnt of it
    incident_id: Mapped[str] = mapped_column(String(40), index=True)
    fingerprint: Mapped[str] = mapped_column(String(200))
    alertname: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer, default=1)  # grows with each repeat: the newest word wins
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    annotations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    starts_at: Mapped[datetime | None]


class WaitingCorrelation(Base):
    __tablename__ = "report_waiting_correlations"
    incident_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200))
    correlated_at: Mapped[datetime | None]
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the IncidentCorrelated payload, as JSON
    answered: Mapped[int] = mapped_column(Integer, default=0)  # a fuller correlation replaces a thinner one
