"""A Service is an address, not a process: a caller of a Service that selects one workload depends on that
workload, so the ranking sees the edge to it directly."""

from __future__ import annotations

from functions._platform.topology.graph import Graph
from functions.correlate.twin import ranked_edges


def _graph(backends: tuple[str, ...]) -> Graph:
    graph = Graph()
    for node, kind in (("kafka", "service"), ("zookeeper-headless", "service"), *((b, "workload") for b in backends)):
        graph.add_node(node, kind, source="test")
    graph.add_edge("kafka", "zookeeper-headless", "calls", "test")
    for backend in backends:
        graph.add_edge("zookeeper-headless", backend, "selects", "test")
    return graph


def test_a_caller_of_a_single_backend_service_depends_on_its_workload() -> None:
    edges = ranked_edges(_graph(("zookeeper",)))
    assert ("kafka", "zookeeper") in edges and ("kafka", "zookeeper-headless") in edges


def test_a_service_in_front_of_several_workloads_is_left_as_it_is() -> None:
    edges = ranked_edges(_graph(("zookeeper", "zookeeper-canary")))
    assert ("kafka", "zookeeper") not in edges and ("kafka", "zookeeper-canary") not in edges
