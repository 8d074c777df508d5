"""Tables of the digital twin: each source's nodes and edges, and when each source was last built."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from functions._platform.db.models import Base


class TopologyBuild(Base):
    __tablename__ = "topology_builds"
    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))  # ok|error
    built_at: Mapped[datetime | None]  # when the stored graph of this source was built
    attempted_at: Mapped[datetime]
    nodes: Mapped[int] = mapped_column(Integer, default=0)
    edges: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str] = mapped_column(Text, default="")


class TopologyNode(Base):
    __tablename__ = "topology_nodes"
    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    node_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    built_at: Mapped[datetime]


class TopologyEdge(Base):
    __tablename__ = "topology_edges"
    __table_args__ = (
        UniqueConstraint("source", "caller", "callee", "kind"),
        Index("ix_topology_edges_callee", "callee"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(40))
    caller: Mapped[str] = mapped_column(String(300))
    callee: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    built_at: Mapped[datetime]
