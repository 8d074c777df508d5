"""The toil reports table: each computed report, so `GET /toil/reports/latest` serves the newest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from functions._platform.db.models import Base


class ToilReportRecord(Base):
    __tablename__ = "toil_reports"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # derived from the requesting event: redelivery upserts
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    generated_at: Mapped[datetime] = mapped_column(index=True)
    trigger: Mapped[str] = mapped_column(String(300))  # `event:<source>#<id>` or `cli`
    body: Mapped[dict[str, Any]]
