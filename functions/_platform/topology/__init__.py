"""The digital twin: a dependency graph of the system built from Kubernetes, a declared topology file and
trace-derived service-graph metrics, stored per source, merged on read, with findings attached to its nodes."""

from functions._platform.topology.attach import attach, attach_one
from functions._platform.topology.builders.contract import TopologyInputs, TopologySourceError
from functions._platform.topology.graph import Edge, Graph, Node, merge_graphs
from functions._platform.topology.store import (
    RefreshResult,
    load_edges,
    load_graph,
    refresh,
    save_graph,
    topology_document,
)

__all__ = [
    "Edge", "Graph", "Node", "RefreshResult", "TopologyInputs", "TopologySourceError", "attach", "attach_one",
    "load_edges", "load_graph", "merge_graphs", "refresh", "save_graph", "topology_document",
]
