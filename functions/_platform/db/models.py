"""Tables of the incident store. Schema changes go through Alembic (migrations/)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


STATUS_ORDER = ("open", "correlated", "reported", "resolved")  # an incident's status only ever moves right


class Incident(Base):
    __tablename__ = "incidents"
    __table_args__ = (  # one open incident per alert group, however many deliveries race to open it
        Index("ux_incidents_open_group", "group_key", unique=True,
              sqlite_where=text("resolved_at IS NULL"), postgresql_where=text("resolved_at IS NULL")),
    )
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    service: Mapped[str | None] = mapped_column(String(200))
    namespace: Mapped[str | None] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)  # open|correlated|reported
    source: Mapped[str] = mapped_column(String(20))  # http|alertmanager|cloudevent|threat
    group_key: Mapped[str | None] = mapped_column(String(500), index=True)
    domains: Mapped[list[Any]] = mapped_column(default=list)
    classification: Mapped[dict[str, Any]] = mapped_column(default=dict)
    runbooks: Mapped[list[Any]] = mapped_column(default=list)  # RunbookRef dicts matched at triage
    started_at: Mapped[datetime]
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    deadline_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]
    fanned_out_at: Mapped[datetime | None]
    correlated_at: Mapped[datetime | None]
    reported_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]


class AlertRecord(Base):
    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("incident_id", "fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(200), index=True)
    alertname: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    annotations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    starts_at: Mapped[datetime | None]
    received_at: Mapped[datetime]
    count: Mapped[int] = mapped_column(Integer, default=1)


class Investigation(Base):
    __tablename__ = "investigations"
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    domain: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))  # requested|success|no_data|error
    requested_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]


class EvidenceRecord(Base):
    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("incident_id", "domain"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]]
    event_id: Mapped[str] = mapped_column(String(200))
    collected_at: Mapped[datetime]


class Report(Base):
    __tablename__ = "reports"
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[dict[str, Any]]
    markdown: Mapped[str] = mapped_column(Text)
    event_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TimelineEntry(Base):
    __tablename__ = "timeline"
    __table_args__ = (UniqueConstraint("incident_id", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(300))  # dedupes redelivered steps
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)


class ProcessedEvent(Base):
    __tablename__ = "processed_events"
    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    source: Mapped[str] = mapped_column(String(300), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    processed_at: Mapped[datetime]


class DeadLetter(Base):
    __tablename__ = "dead_letters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    trigger: Mapped[str] = mapped_column(String(200), index=True)
    subscriber: Mapped[str] = mapped_column(String(200))
    event_type: Mapped[str] = mapped_column(String(200))
    event_source: Mapped[str] = mapped_column(String(300))
    event_id: Mapped[str] = mapped_column(String(200))
    event: Mapped[dict[str, Any]]
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


class Threat(Base):
    __tablename__ = "threats"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    kind: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime] = mapped_column(index=True)
    incident_id: Mapped[str | None] = mapped_column(String(40))


