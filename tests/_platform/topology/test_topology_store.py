"""Persistence of the twin on SQLite and on a real PostgreSQL, through the Alembic migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from topology_cluster import pod, service, workload, write_snapshot

from functions._platform.db.engine import Database, current_revision, head_revision
from functions._platform.topology import (
    Graph,
    TopologyInputs,
    TopologySourceError,
    load_edges,
    load_graph,
    refresh,
    save_graph,
    topology_document,
)

DECLARED = """
services:
  checkout:
    depends_on: [payments, orders, api.stripe.com, fraud-check]
databases:
  orders: {engine: postgres, host: orders-db}
externals: [api.stripe.com]
"""


def inputs(tmp_path: Path, objects: list | None = None) -> TopologyInputs:
    declared = tmp_path / "topology.yaml"
    declared.write_text(DECLARED)
    return TopologyInputs(kube_snapshot=write_snapshot(tmp_path / "snap", objects), topology_file=declared)


def test_migration_creates_the_tables(store: Database) -> None:
    assert current_revision(store.engine) == head_revision()
    tables = set(inspect(store.engine).get_table_names())
    assert {"topology_nodes", "topology_edges", "topology_builds", "incidents"} <= tables


def test_refresh_stores_every_configured_source(store: Database, tmp_path: Path) -> None:
    with store.session() as session:
        result = refresh(session, inputs(tmp_path))
    assert {o.source: o.status for o in result.outcomes} == {
        "kubernetes": "ok", "topology_file": "ok", "traces": "not_configured", "trace_spans": "not_configured"}
    with store.session() as session:
        edges = load_edges(session)
        graph = load_graph(session)
    assert ("checkout", "payments") in edges
    assert ("checkout", "fraud-check") in edges  # declared only
    assert ("postgres/orders", "orders-db") in edges  # seen only in the cluster
    assert edges == sorted(set(edges))
    assert set(graph.nodes["checkout"].sources) == {"kubernetes", "topology_file"}
    declared = [e for e in graph.edges if (e.caller, e.callee, e.source) == ("checkout", "postgres/orders",
                                                                            "topology_file")]
    assert declared, "the declared database dependency lands on the same node as the DSN found in the cluster"


def test_refresh_replaces_a_sources_edges(store: Database, tmp_path: Path) -> None:
    with store.session() as session:
        refresh(session, inputs(tmp_path))
    smaller = [workload("Deployment", "payments-v2", "payments"), service("payments", {"app": "payments"}),
               pod("payments-v2", "payments", "node-c")]
    with store.session() as session:
        result = refresh(session, TopologyInputs(kube_snapshot=write_snapshot(tmp_path / "second", smaller)))
    assert [o.status for o in result.outcomes] == ["ok", "not_configured", "not_configured", "not_configured"]
    with store.session() as session:
        document = topology_document(session)
    kubernetes = {(e["caller"], e["callee"]) for e in document["edges"] if e["source"] == "kubernetes"}
    declared = {(e["caller"], e["callee"]) for e in document["edges"] if e["source"] == "topology_file"}
    assert kubernetes == {("payments", "node/node-c")}
    assert ("checkout", "fraud-check") in declared  # another source's edges are left alone
    assert document["sources"]["kubernetes"]["edges"] == 1


def test_a_failing_source_keeps_its_last_graph(store: Database, tmp_path: Path) -> None:
    good = inputs(tmp_path)
    with store.session() as session:
        refresh(session, good)
    with store.session() as session:
        before = load_edges(session)
        built = topology_document(session)["sources"]["kubernetes"]["built_at"]
    broken = good.model_copy(update={"kube_snapshot": tmp_path / "gone"})
    with store.session() as session:
        result = refresh(session, broken)
    assert [o.source for o in result.failed] == ["kubernetes"]
    with store.session() as session:
        document = topology_document(session)
        assert load_edges(session) == before
    kubernetes = document["sources"]["kubernetes"]
    assert kubernetes["status"] == "error" and "gone" in kubernetes["detail"]
    assert kubernetes["built_at"] == built


def test_a_failed_write_rolls_back_the_whole_replacement(store: Database, tmp_path: Path) -> None:
    with store.session() as session:
        refresh(session, inputs(tmp_path), sources=["kubernetes"])
    with store.session() as session:
        before = load_edges(session)
    broken = Graph()
    broken.add_node("a", "service")
    broken.add_edge("a", "b" * 400, "calls", "kubernetes")  # longer than the column: Postgres refuses it
    with pytest.raises(Exception), store.session() as session:  # noqa: B017  (driver errors differ per backend)
        save_graph(session, "kubernetes", broken)
        if store.engine.dialect.name == "sqlite":  # SQLite does not enforce VARCHAR lengths
            raise TopologySourceError("simulated failure after the write")
    with store.session() as session:
        assert load_edges(session) == before


def test_document_shape(store: Database, tmp_path: Path) -> None:
    with store.session() as session:
        refresh(session, inputs(tmp_path))
        document = topology_document(session)
    assert set(document) == {"nodes", "edges", "sources"}
    node = next(n for n in document["nodes"] if n["id"] == "postgres/orders")
    assert node["kind"] == "database" and "orders-db" in node["aliases"]
    assert {"caller", "callee", "kind", "source", "evidence"} <= set(document["edges"][0])
    assert document["sources"]["topology_file"]["status"] == "ok"
    assert document["sources"]["topology_file"]["built_at"].startswith("20")
