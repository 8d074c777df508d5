"""Correlate's own record of each incident it waits on: what `incident.reported` said to expect, and when the
fan-in closed, and when `report.published` said the report is out. Correlate decides readiness (and whether to
publish a correlation again) from this row and its evidence, never from triage's or report's rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from functions._platform.db.models import Base


class FanIn(Base):
    __tablename__ = "fan_ins"
    incident_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    service: Mapped[str | None] = mapped_column(String(200))
    domains: Mapped[list[Any]] = mapped_column(default=list)  # the domains triage asked to investigate
    started_at: Mapped[datetime]  # the symptom's onset: findings much older than it are context, not cause
    deadline_at: Mapped[datetime] = mapped_column(index=True)
    expected_at: Mapped[datetime]  # when `incident.reported` arrived
    correlated_at: Mapped[datetime | None] = mapped_column(index=True)
    reported_at: Mapped[datetime | None]  # the first `report.published` for it: no need to correlate it again
