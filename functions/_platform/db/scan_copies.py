"""Scan's own copies of what other functions announce, so the supervisor reads no table of theirs: the incidents
triage opened (`incident.reported`, for the group key a threat's incident carries), the fixes their reports
suggest (`report.published`) and the approvals report recorded (`approval.recorded`). Each row is written once,
whatever order the events arrive in and however often they are redelivered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from functions._platform.db.models import Base


class ScanIncident(Base):
    __tablename__ = "scan_incidents"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    group_key: Mapped[str | None] = mapped_column(String(500), index=True)
    service: Mapped[str | None] = mapped_column(String(200))
    accepted_at: Mapped[datetime]  # when triage accepted it: the newest incident of a group is the review's


class ScanFix(Base):
    __tablename__ = "scan_fixes"
    incident_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    action_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    command: Mapped[str | None] = mapped_column(Text)
    risk: Mapped[str] = mapped_column(String(10))
    requires_approval: Mapped[bool] = mapped_column(Boolean)
    published_at: Mapped[datetime]


class ScanApproval(Base):
    __tablename__ = "scan_approvals"
    incident_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    action_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    approver: Mapped[str] = mapped_column(String(60))
    approved_at: Mapped[datetime]
