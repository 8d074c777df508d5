"""The twin in the store: each source's graph replaced atomically, the merged graph read back.

A source that fails keeps its last good graph; its build row says what went wrong."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from functions._platform.topology.builders.contract import GraphBuilder, TopologyInputs, TopologySourceError
from functions._platform.topology.graph import Edge, Graph, Node, merge_graphs
from functions._platform.topology.models import TopologyBuild, TopologyEdge, TopologyNode


@dataclass
class SourceOutcome:
    source: str
    status: str  # ok|error|not_configured
    nodes: int = 0
    edges: int = 0
    detail: str = ""


@dataclass
class RefreshResult:
    outcomes: list[SourceOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status == "error"]


def _lock_build_row(session: Session, source: str, now: datetime) -> TopologyBuild:
    """The source's build row, created when missing and locked (FOR UPDATE on Postgres) so concurrent
    refreshes of one source take turns instead of colliding on the unique edge key."""
    dialect = session.get_bind().dialect.name
    values = {"source": source, "status": "error", "built_at": None, "attempted_at": now, "nodes": 0, "edges": 0,
              "detail": ""}
    if dialect in ("postgresql", "sqlite"):
        module = __import__(f"sqlalchemy.dialects.{dialect}", fromlist=["insert"])
        session.execute(module.insert(TopologyBuild).values(**values).on_conflict_do_nothing())
    elif session.get(TopologyBuild, source) is None:
        session.add(TopologyBuild(**values))
        session.flush()
    return session.execute(select(TopologyBuild).where(TopologyBuild.source == source)
                           .with_for_update().execution_options(populate_existing=True)).scalar_one()


def save_graph(session: Session, source: str, graph: Graph, built_at: datetime | None = None) -> None:
    """Replace `source`'s nodes and edges with `graph`'s inside the caller's transaction: readers see the old
    graph or the new one, never a mix, and a failure part-way leaves the old one."""
    built_at = built_at or datetime.now(UTC)
    build = _lock_build_row(session, source, built_at)
    session.execute(delete(TopologyEdge).where(TopologyEdge.source == source))
    session.execute(delete(TopologyNode).where(TopologyNode.source == source))
    if graph.nodes:
        session.execute(insert(TopologyNode), [
            {"source": source, "node_id": node.id, "kind": node.kind, "attributes": node.attributes,
             "aliases": node.aliases, "built_at": built_at} for node in graph.nodes.values()])
    edges = [edge for edge in graph.edges if edge.source == source]
    if edges:
        session.execute(insert(TopologyEdge), [
            {"source": source, "caller": edge.caller, "callee": edge.callee, "kind": edge.kind,
             "evidence": edge.evidence, "built_at": built_at} for edge in edges])
    build.status, build.built_at, build.attempted_at = "ok", built_at, built_at
    build.nodes, build.edges, build.detail = len(graph.nodes), len(edges), ""
    session.flush()


def record_failure(session: Session, source: str, detail: str, attempted_at: datetime | None = None) -> None:
    attempted_at = attempted_at or datetime.now(UTC)
    build = _lock_build_row(session, source, attempted_at)
    build.status, build.attempted_at, build.detail = "error", attempted_at, detail[:2000]
    session.flush()


def refresh(session: Session, inputs: TopologyInputs, sources: Iterable[str] | None = None,
            builders: dict[str, GraphBuilder] | None = None) -> RefreshResult:
    """Build every configured source (or just `sources`) and store each graph in place of the old one.
    Sources that are not configured keep what they stored before."""
    # imported here, not at the top: the domains' builders import this package themselves
    from functions._platform.topology.builders.registry import BUILDERS

    registry = builders if builders is not None else BUILDERS
    wanted = list(sources) if sources is not None else list(registry)
    result = RefreshResult()
    for source in wanted:
        builder = registry[source]
        if not builder.configured(inputs):
            result.outcomes.append(SourceOutcome(source, "not_configured"))
            continue
        try:
            graph = builder.collect(inputs)
        except TopologySourceError as exc:
            record_failure(session, source, str(exc))
            result.outcomes.append(SourceOutcome(source, "error", detail=str(exc)))
            continue
        save_graph(session, source, graph)
        result.outcomes.append(SourceOutcome(source, "ok", len(graph.nodes), len(graph.edges)))
    return result


def load_source_graphs(session: Session) -> dict[str, Graph]:
    graphs: dict[str, Graph] = {}
    nodes = TopologyNode.__table__
    for row in session.execute(select(nodes).order_by(nodes.c.source, nodes.c.node_id)):
        graphs.setdefault(row.source, Graph()).nodes[row.node_id] = Node(
            id=row.node_id, kind=row.kind, attributes=row.attributes or {}, aliases=list(row.aliases or []),
            sources=[row.source])
    edges = TopologyEdge.__table__
    for row in session.execute(select(edges).order_by(edges.c.id)):
        graphs.setdefault(row.source, Graph()).edges.append(Edge(
            caller=row.caller, callee=row.callee, kind=row.kind, source=row.source, evidence=row.evidence or {}))
    return graphs


def load_graph(session: Session) -> Graph:
    """The twin: every source's stored graph, merged."""
    return merge_graphs(load_source_graphs(session))


def load_edges(session: Session) -> list[tuple[str, str]]:
    """(caller, callee) pairs for ranking: the caller depends on the callee."""
    return load_graph(session).pairs()


def builds(session: Session) -> dict[str, dict[str, Any]]:
    rows = session.execute(select(TopologyBuild).order_by(TopologyBuild.source)).scalars()
    return {row.source: {"status": row.status, "built_at": row.built_at.isoformat() if row.built_at else None,
                         "attempted_at": row.attempted_at.isoformat(), "nodes": row.nodes, "edges": row.edges,
                         "detail": row.detail} for row in rows}


def topology_document(session: Session) -> dict[str, Any]:
    """The twin as the API serves it: nodes, edges, and when each source was built."""
    graph = load_graph(session)
    return {
        "nodes": [node.model_dump() for _, node in sorted(graph.nodes.items())],
        "edges": [edge.model_dump() for edge in graph.sorted_edges()],
        "sources": builds(session),
    }
