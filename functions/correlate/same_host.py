"""Backends behind one public host are one site to its users: a page served by one calls the paths the host routes
to the others (`shop.example.com/` -> storefront, `/api` -> api-proxy), so a question about the site's front end
reaches the backends of its other paths. Each backend gets an edge to every Ingress of its hosts."""

from __future__ import annotations

from functions._platform.topology.graph import Graph


def same_host_edges(graph: Graph) -> list[tuple[str, str]]:
    ingresses_of_host: dict[str, set[str]] = {}
    for node_id in graph.nodes:
        if graph.nodes[node_id].kind == "ingress":
            for host in graph.nodes[node_id].attributes.get("hosts") or ():
                ingresses_of_host.setdefault(host, set()).add(node_id)
    edges = []
    for edge in graph.edges:
        if edge.kind != "routes_to":
            continue
        hosts = graph.nodes[edge.caller].attributes.get("hosts") or ()
        edges.extend((edge.callee, ingress) for host in hosts for ingress in sorted(ingresses_of_host[host])
                     if ingress != edge.caller)
    return edges
