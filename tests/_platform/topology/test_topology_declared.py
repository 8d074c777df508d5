"""The declared topology file builder."""

from __future__ import annotations

from pathlib import Path

import pytest

from functions._platform.topology import TopologyInputs, TopologySourceError
from functions._platform.topology.builders.declared import DeclaredTopologyBuilder

MAPPING_FORM = """
services:
  checkout:
    namespace: shop
    depends_on: [payments, orders, stripe, ledger.partner.example]
    aliases: [checkout-web]
  payments:
    depends_on: [orders]
databases:
  orders: {engine: postgresql, host: orders.abc.eu-west-1.rds.amazonaws.com, port: 5432}
externals:
  stripe: {host: api.stripe.com}
"""
LIST_FORM = """
services:
  - name: checkout
    depends_on: [postgres/orders, api.stripe.com]
databases:
  - {name: orders-primary, database: orders}
externals: [api.stripe.com]
"""


def collect(tmp_path: Path, text: str):
    path = tmp_path / "topology.yaml"
    path.write_text(text)
    return DeclaredTopologyBuilder().collect(TopologyInputs(topology_file=path))


def test_mapping_form(tmp_path: Path) -> None:
    graph = collect(tmp_path, MAPPING_FORM)
    edges = {(e.caller, e.callee) for e in graph.edges}
    assert edges == {("checkout", "payments"), ("checkout", "postgres/orders"), ("checkout", "external/api.stripe.com"),
                     ("checkout", "external/ledger.partner.example"), ("payments", "postgres/orders")}
    orders = graph.nodes["postgres/orders"]
    assert orders.kind == "database" and "orders.abc.eu-west-1.rds.amazonaws.com" in orders.aliases
    assert graph.nodes["checkout"].aliases == ["checkout-web"]
    assert graph.nodes["checkout"].attributes["namespace"] == "shop"
    assert all(e.source == "topology_file" and e.kind == "calls" for e in graph.edges)


def test_list_form(tmp_path: Path) -> None:
    graph = collect(tmp_path, LIST_FORM)
    assert {(e.caller, e.callee) for e in graph.edges} == {("checkout", "postgres/orders"),
                                                            ("checkout", "external/api.stripe.com")}
    assert "orders-primary" in graph.nodes["postgres/orders"].aliases


@pytest.mark.parametrize("text", ["services: 3\n", "services:\n  - {depends_on: [a]}\n", "- a\n", "services: {a: [\n"])
def test_invalid_files_are_source_errors(tmp_path: Path, text: str) -> None:
    with pytest.raises(TopologySourceError, match="topology file"):
        collect(tmp_path, text)


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(TopologySourceError):
        DeclaredTopologyBuilder().collect(TopologyInputs(topology_file=tmp_path / "absent.yaml"))
