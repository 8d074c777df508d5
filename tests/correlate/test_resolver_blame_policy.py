"""On the twin, a resolver failure blames the cluster DNS only for a workload whose pods resolve through it: a
`dnsPolicy: Default` workload asks the node's resolver, so its failures say nothing about CoreDNS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from functions._platform.config import Settings
from functions._platform.db.engine import Database
from functions._platform.topology.graph import Graph
from functions._platform.topology.store import save_graph
from functions.correlate.twin import place
from sreo_events.models import EvidenceCollected, Finding, TimeWindow

T0 = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


def _graph() -> Graph:
    graph = Graph()
    graph.add_node("kube-dns", "service", {"namespace": "kube-system"}, ["kube-system/kube-dns"], "kubernetes")
    graph.add_node("coredns", "workload", {"namespace": "kube-system"}, ["kube-system/coredns"], "kubernetes")
    graph.add_edge("kube-dns", "coredns", "selects", "kubernetes")
    graph.add_node("catalog", "workload", {"namespace": "shop"}, ["shop/catalog"], "kubernetes")
    graph.add_node("batch", "workload", {"namespace": "shop", "cluster_dns": False}, ["shop/batch"], "kubernetes")
    return graph


def _resolver_failure(subject: str) -> EvidenceCollected:
    finding = Finding(kind="log_error_class", subject=subject, severity="critical", score=0.8,
                      summary=f"{subject}: name resolution fails", evidence={"category": "dns_resolver_failure"},
                      window=TimeWindow(start=T0 - timedelta(minutes=5), end=T0))
    return EvidenceCollected(incident_id="i", domain="logs", status="success", findings=[finding])


def test_only_workloads_that_resolve_through_the_cluster_dns_blame_it(tmp_path: Path) -> None:
    db = Database(Settings(home=tmp_path))
    with db.session() as session:
        save_graph(session, "kubernetes", _graph())
    with db.session() as session:
        answers, _ = place(session, [_resolver_failure("catalog"), _resolver_failure("batch")])
    catalog, batch = (answer.findings[0] for answer in answers)
    assert catalog.evidence.get("dependency") == ["coredns"]
    assert "dependency" not in batch.evidence
