"""Parsing configuration values for services, databases and outside hosts."""

from __future__ import annotations

import pytest

from functions._platform.topology.references import (
    cluster_service_name,
    database_references,
    host_references,
    is_external_host,
    redact,
)

SERVICES = {"shop": {"payments", "orders-db"}, "ops": {"grafana"}}


@pytest.mark.parametrize(("text", "node_id", "host"), [
    ("postgres://app:pw@orders-db:5432/orders", "postgres/orders", "orders-db"),
    ("postgresql+psycopg://app@orders-db.shop.svc.cluster.local/orders?sslmode=require", "postgres/orders",
     "orders-db.shop.svc.cluster.local"),
    ("jdbc:postgresql://db1:5432,db2:5432/ledger", "postgres/ledger", "db1"),
    ("host=orders-db port=5432 dbname=orders user=app", "postgres/orders", "orders-db"),
    ("mysql://root@legacy-db/catalog", "mysql/catalog", "legacy-db"),
    ("redis://cache:6379/0", "redis/cache", "cache"),
])
def test_database_references(text: str, node_id: str, host: str) -> None:
    [reference] = database_references(text)
    assert (reference.node_id, reference.host) == (node_id, host)


def test_host_references_skip_databases_and_localhost() -> None:
    text = "upstream http://payments:8080/x and postgres://u@db/x, metrics at localhost:9090, kafka-0:9092"
    assert [r.host for r in host_references(text)] == ["payments", "kafka-0"]


def test_whole_value_hostnames_count_only_when_asked() -> None:
    assert host_references("payments") == []
    assert [r.host for r in host_references("payments", whole_value=True)] == ["payments"]
    assert host_references("1.2.3", whole_value=True) == []


@pytest.mark.parametrize(("host", "namespace", "service"), [
    ("payments", "shop", "payments"), ("payments", "ops", None), ("payments.shop", "ops", "payments"),
    ("payments.shop.svc.cluster.local", "ops", "payments"), ("grafana.ops.svc", "shop", "grafana"),
    ("payments.example.com", "shop", None),
    # a headless Service's pod: <pod>.<service>[.<namespace>[.svc.cluster.local]]
    ("payments-0.payments", "shop", "payments"), ("grafana-1.grafana.ops.svc.cluster.local", "shop", "grafana"),
    ("api.payments.example.com", "shop", None),
])
def test_cluster_service_name(host: str, namespace: str, service: str | None) -> None:
    assert cluster_service_name(host, SERVICES, namespace) == service


@pytest.mark.parametrize(("host", "external"), [
    ("api.stripe.com", True), ("payments", False), ("payments.shop.svc.cluster.local", False),
    ("10.0.0.4", False), ("db.internal", False),
])
def test_is_external_host(host: str, external: bool) -> None:
    assert is_external_host(host) is external


def test_redact_removes_passwords() -> None:
    assert redact("postgres://app:hunter2@db/x") == "postgres://app:***@db/x"
    assert "hunter2" not in redact("host=db password=hunter2 dbname=x")


def test_a_services_cluster_name_in_a_config_file_is_a_reference() -> None:
    """A file's `Host elasticsearch-master.logging.svc` with its port on another line, and an nginx upstream."""
    fluent_bit = "[OUTPUT]\n    Name es\n    Host elasticsearch-master.logging.svc\n    Port 9200\n"
    assert [ref.host for ref in host_references(fluent_bit)] == ["elasticsearch-master.logging.svc"]
    nginx = "upstream api { server recommendations.shop.svc.cluster.local:8080; }\nresolver kube-dns.kube-system.svc;"
    assert [(ref.host, ref.port) for ref in host_references(nginx)] == [
        ("recommendations.shop.svc.cluster.local", 8080), ("kube-dns.kube-system.svc", None)]
    assert host_references("see payments.svc-docs.example.com and shop.svc") == []  # not cluster names
