"""Backends behind one public host reach each other's Ingress, and a risk never heads a failing component."""

from __future__ import annotations

from datetime import UTC, datetime

from functions._platform.topology.graph import Graph
from functions.correlate.causes import rank_causes
from functions.correlate.connected import connected_first
from functions.correlate.same_host import same_host_edges
from sreo_events.models import EvidenceCollected, Finding

T0 = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


def _finding(kind: str, subject: str, severity: str, score: float) -> Finding:
    return Finding(kind=kind, subject=subject, severity=severity, score=score, summary=f"{subject} {kind}", onset=T0)


def _site() -> Graph:
    """shop.example.com: `/` to storefront and `/api` to api-proxy, in two Ingress objects; blog elsewhere."""
    graph = Graph()
    for name, host, backend in (("shop", "shop.example.com", "storefront"), ("shop-api", "shop.example.com",
                                                                             "api-proxy"),
                                ("blog", "blog.example.com", "blog")):
        graph.add_node(f"ingress/{name}", "ingress", {"hosts": [host]}, [host], "kubernetes")
        graph.add_node(backend, "service", {}, (), "kubernetes")
        graph.add_edge(f"ingress/{name}", backend, "routes_to", "kubernetes")
    return graph


def test_each_backend_reaches_the_other_ingresses_of_its_host() -> None:
    assert sorted(same_host_edges(_site())) == [("api-proxy", "ingress/shop"), ("storefront", "ingress/shop-api")]


def test_a_question_about_the_front_page_reaches_the_api_behind_the_same_host() -> None:
    graph = _site()
    edges = [(edge.caller, edge.callee) for edge in graph.edges] + same_host_edges(graph)
    answer = EvidenceCollected(incident_id="i", domain="kubernetes", status="success",
                               findings=[_finding("pod_crashloop", "api-proxy", "critical", 0.9),
                                         _finding("pod_crashloop", "blog", "critical", 0.95)])
    causes = connected_first(rank_causes([answer], edges=edges), "storefront", edges)
    assert causes[0].component == "api-proxy"


def test_a_risk_heads_a_component_only_when_nothing_of_it_is_failing() -> None:
    risk = _finding("missing_service_account", "api-proxy", "info", 0.2)  # causal kind, but no pod refused yet
    answer = EvidenceCollected(incident_id="i", domain="kubernetes", status="success",
                               findings=[risk, _finding("pod_crashloop", "api-proxy", "critical", 0.9)])
    assert rank_causes([answer])[0].kind == "pod_crashloop"
    alone = EvidenceCollected(incident_id="i", domain="kubernetes", status="success", findings=[risk])
    assert rank_causes([alone])[0].kind == "missing_service_account"
