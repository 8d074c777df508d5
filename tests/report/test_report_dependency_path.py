"""The HTML report draws the dependency path from the alerted service to the cause, from the stored graph."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from report_cases import store_incident

from functions._platform.topology.graph import Graph
from functions._platform.topology.store import save_graph

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_HOP = '<b>gw</b>&"q"'


def _store_graph(runtime) -> None:
    graph = Graph()
    for node_id, kind in (("checkout", "service"), (HOSTILE_HOP, "service"), ("postgres/orders", "database"),
                          ("cart", "service"), ("cache", "service"), ("frontend", "service")):
        graph.add_node(node_id, kind)
    graph.add_edge("frontend", "checkout", "calls", "topology_file")  # upstream of the service: not on the path
    graph.add_edge("checkout", "cart", "calls", "topology_file")  # a longer way round
    graph.add_edge("cart", "cache", "calls", "topology_file")
    graph.add_edge("cache", "postgres/orders", "calls", "topology_file")
    graph.add_edge("checkout", HOSTILE_HOP, "calls", "topology_file")
    graph.add_edge(HOSTILE_HOP, "postgres/orders", "calls", "topology_file")
    with runtime.db.session() as session:
        save_graph(session, "topology_file", graph)


def _path_svg(page: str) -> ET.Element:
    found = re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="path".*?</svg>', page, re.DOTALL)
    assert len(found) == 1
    return ET.fromstring(found[0])


def test_the_html_report_draws_the_shortest_dependency_path_to_the_cause(make_sqlite_served) -> None:
    served = make_sqlite_served()
    _store_graph(served.host.runtime)
    store_incident(served.host.runtime)  # the service is checkout, the top cause postgres/orders
    body = served.client.get("/incidents/inc-1/report").json()
    assert body["dependency_path"] == {"nodes": ["checkout", HOSTILE_HOP, "postgres/orders"],
                                       "links": ["calls", "calls"]}
    page = served.client.get("/incidents/inc-1/report", params={"format": "html"}).text
    assert "<b>gw" not in page
    svg = _path_svg(page)  # well-formed XML: every label escaped
    groups = svg.findall(f"{SVG}g")
    assert [g.get("class") for g in groups] == ["node symptom", "node hop", "node cause"]
    assert [g.find(f"{SVG}text").text for g in groups] == ["checkout", HOSTILE_HOP, "postgres/orders"]
    assert len(svg.findall(f"{SVG}line")) == 2 and svg.find(f"{SVG}script") is None
    assert svg.find(f"{SVG}title").text == f"checkout → {HOSTILE_HOP} → postgres/orders"
    assert page.index('id="cause"') < page.index('class="path"') < page.index('id="evidence"')
    markdown = served.client.get("/incidents/inc-1/report", params={"format": "markdown"}).text
    assert "Dependency path: checkout → \\<b>gw\\</b>\\&\"q\" → postgres/orders" in markdown


def test_no_path_is_drawn_without_a_graph_that_connects_them(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime)
    body = served.client.get("/incidents/inc-1/report").json()
    assert "dependency_path" not in body
    page = served.client.get("/incidents/inc-1/report", params={"format": "html"}).text
    assert 'class="path"' not in page and "Dependency path" not in page
