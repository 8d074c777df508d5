"""Persist computed toil reports and read back the newest."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from functions._platform.db.toil import ToilReportRecord
from functions._platform.db.upsert import upsert
from functions.toil.schema import ToilReport


def save(session: Session, report: ToilReport, report_id: str, trigger: str) -> None:
    """Insert, or replace the report of the same id (a redelivered request recomputes the same period)."""
    values = {"id": report_id, "period_start": report.period_start, "period_end": report.period_end,
              "generated_at": report.generated_at, "trigger": trigger[:300], "body": report.model_dump(mode="json")}
    upsert(session, ToilReportRecord, values, ["id"], update=["period_start", "period_end", "generated_at", "trigger",
                                                             "body"])


def latest(session: Session) -> ToilReport | None:
    row = session.scalars(select(ToilReportRecord)
                          .order_by(ToilReportRecord.generated_at.desc(), ToilReportRecord.id.desc()).limit(1)).first()
    return ToilReport.model_validate(row.body) if row else None
