"""Review tasks of the supervisor: a predicted threat on a service with a repository, the incident it opened,
the fixes proposed for it, and whether the metric came back after a fix was applied."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from functions._platform.db.models import Base

# requested -> proposed (the incident's report holds fixes) -> applied -> normalised | still_degraded
STATUSES = ("requested", "proposed", "applied", "normalised", "still_degraded")


class ReviewTask(Base):
    __tablename__ = "review_tasks"
    id: Mapped[str] = mapped_column(String(300), primary_key=True)  # the threat's key: one task per threat
    service: Mapped[str] = mapped_column(String(200), index=True)
    threat_kind: Mapped[str] = mapped_column(String(80))
    endpoint: Mapped[str | None] = mapped_column(String(300))
    revisions: Mapped[str | None] = mapped_column(String(300))
    incident_id: Mapped[str | None] = mapped_column(String(80), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    threat: Mapped[dict[str, Any]]  # the threat as first seen: its baseline is what "normalised" is judged by
    applied_action: Mapped[str | None] = mapped_column(String(200))
    applied_at: Mapped[datetime | None]
    verdict: Mapped[str | None] = mapped_column(Text)
    verdict_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
