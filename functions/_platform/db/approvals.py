"""Approvals of suggested actions: an audit record; nothing executes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from functions._platform.db.models import Base


class ActionApproval(Base):
    __tablename__ = "action_approvals"
    __table_args__ = (UniqueConstraint("incident_id", "action_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[str] = mapped_column(String(200))
    action_title: Mapped[str] = mapped_column(Text)  # what was approved, as the report showed it
    command: Mapped[str | None] = mapped_column(Text)
    approver: Mapped[str] = mapped_column(String(60))  # a short hash of the responder token, never the token
    comment: Mapped[str | None] = mapped_column(Text)
    client_address: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime]
