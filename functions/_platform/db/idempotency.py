"""Idempotency keys of write requests: the first response to a (caller, route, key), replayed on a retry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from functions._platform.db.models import Base


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    caller: Mapped[str] = mapped_column(String(64), primary_key=True)  # a hash of the token, never the token
    route: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    response: Mapped[dict[str, Any]]
    location: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(index=True)
