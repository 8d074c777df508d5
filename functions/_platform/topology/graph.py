"""The digital twin's shape: nodes (services, workloads, databases, externals, nodes, ingresses) and the edges
between them. An edge points from the caller to the callee: the caller depends on the callee."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr

NodeKind = Literal["service", "workload", "database", "external", "node", "ingress"]
EdgeKind = Literal["calls", "runs_on", "routes_to", "selects"]
SOURCES = ("kubernetes", "topology_file", "traces", "trace_spans")  # merge precedence: earlier sources name nodes first
MAX_EVIDENCE_ITEMS = 10


class Node(BaseModel):
    id: str
    kind: NodeKind
    attributes: dict[str, Any] = Field(default_factory=dict)
    aliases: list[str] = Field(default_factory=list)  # other names responders and tools use for it
    sources: list[str] = Field(default_factory=list)


class Edge(BaseModel):
    caller: str
    callee: str
    kind: EdgeKind
    source: str
    evidence: dict[str, Any] = Field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.caller, self.callee, self.kind, self.source)


def _merge_evidence(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = dict(old)
    for key, value in new.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = (merged[key] + [v for v in value if v not in merged[key]])[:MAX_EVIDENCE_ITEMS]
        else:
            merged.setdefault(key, value)
    return merged


class Graph(BaseModel):
    nodes: dict[str, Node] = Field(default_factory=dict)
    edges: list[Edge] = Field(default_factory=list)
    _edge_index: dict[tuple[str, str, str, str], Edge] = PrivateAttr(default_factory=dict)

    def add_node(self, node_id: str, kind: NodeKind, attributes: dict[str, Any] | None = None,
                 aliases: Iterable[str] = (), source: str | None = None) -> Node:
        """Add a node, or fold the new facts into the node already there (its kind stays)."""
        node = self.nodes.get(node_id)
        if node is None:
            node = self.nodes[node_id] = Node(id=node_id, kind=kind)
        for key, value in (attributes or {}).items():
            node.attributes.setdefault(key, value)
        node.aliases = sorted({*node.aliases, *(a for a in aliases if a and a != node_id)})
        if source and source not in node.sources:
            node.sources.append(source)
        return node

    def add_edge(self, caller: str, callee: str, kind: EdgeKind, source: str,
                 evidence: dict[str, Any] | None = None) -> None:
        if caller == callee:
            return
        if len(self._edge_index) != len(self.edges):  # edges appended directly (e.g. read from the store)
            self._edge_index = {edge.key: edge for edge in self.edges}
        existing = self._edge_index.get((caller, callee, kind, source))
        if existing is not None:
            existing.evidence = _merge_evidence(existing.evidence, evidence or {})
            return
        edge = Edge(caller=caller, callee=callee, kind=kind, source=source, evidence=evidence or {})
        self.edges.append(edge)
        self._edge_index[edge.key] = edge

    def alias_index(self) -> dict[str, list[str]]:
        """Alias -> the node ids that carry it, sorted."""
        index: dict[str, set[str]] = {}
        for node in self.nodes.values():
            for alias in node.aliases:
                index.setdefault(alias, set()).add(node.id)
        return {alias: sorted(ids) for alias, ids in index.items()}

    def pairs(self) -> list[tuple[str, str]]:
        """(caller, callee) pairs, once each, whatever the edge kind or source."""
        return sorted({(edge.caller, edge.callee) for edge in self.edges})

    def sorted_edges(self) -> list[Edge]:
        return sorted(self.edges, key=lambda edge: edge.key)


def _source_rank(source: str) -> int:
    return SOURCES.index(source) if source in SOURCES else len(SOURCES)


def merge_graphs(graphs: dict[str, Graph]) -> Graph:
    """One graph from each source's graph. A node one source names by what another source holds as an alias
    (traces saying `payments-v2` where Kubernetes has `payments` selecting it) joins the other's node."""
    ordered = sorted(graphs.items(), key=lambda item: (_source_rank(item[0]), item[0]))
    merged = Graph()
    for source, graph in ordered:
        for node in graph.nodes.values():
            merged.add_node(node.id, node.kind, node.attributes, node.aliases, source)
    ids = set(merged.nodes)
    owners = merged.alias_index()
    renames: dict[str, str] = {}
    for node_id in sorted(ids):
        targets = [owner for owner in owners.get(node_id, []) if owner != node_id]
        if len(targets) == 1 and node_id not in _named_by_first_source(ordered, node_id):
            renames[node_id] = targets[0]
    for old, new in renames.items():
        node = merged.nodes.pop(old)
        target = merged.nodes[new]
        for key, value in node.attributes.items():
            target.attributes.setdefault(key, value)
        target.aliases = sorted({*target.aliases, *node.aliases, old} - {new})
        target.sources += [s for s in node.sources if s not in target.sources]
    for _, graph in ordered:
        for edge in graph.edges:
            merged.add_edge(renames.get(edge.caller, edge.caller), renames.get(edge.callee, edge.callee),
                            edge.kind, edge.source, edge.evidence)
    return merged


def _named_by_first_source(ordered: list[tuple[str, Graph]], node_id: str) -> set[str]:
    """`{node_id}` when the highest-precedence source holding any node of that name holds it as a node."""
    for _, graph in ordered:
        if node_id in graph.nodes:
            return {node_id}
        if any(node_id in node.aliases for node in graph.nodes.values()):
            return set()
    return set()
