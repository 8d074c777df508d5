"""The read-only diagnostics client and target parsing, against a real PostgreSQL."""

from __future__ import annotations

import psycopg
import pytest
from support.servers import free_port

from functions._platform.domains.database.source.api import DiagnosticsError, PostgresDiagnostics
from functions._platform.domains.database.source.redact import redact, redact_dsn
from functions._platform.domains.database.source.targets import parse_targets, split_dsns


def test_targets_are_named_by_database_and_disambiguated_by_host():
    targets = parse_targets(
        "postgresql://app:s3cret@db1:5432/orders, host=db2 dbname=orders user=app password=hunter2,"
        " billing=postgresql://u@db3/billing_v2, postgresql://u@db4/users"
    )
    assert [t.name for t in targets] == [
        "postgres/orders@db1", "postgres/orders@db2", "postgres/billing", "postgres/users"]
    assert targets[1].password == "hunter2"
    shown = str([t.describe() for t in targets]) + repr(targets)
    assert "s3cret" not in shown and "hunter2" not in shown


def test_multi_host_uri_is_kept_whole():
    assert split_dsns("postgresql://u@h1:5432,h2:5432/db,postgresql://u@h3/other") == [
        "postgresql://u@h1:5432,h2:5432/db", "postgresql://u@h3/other"]


def test_redaction_covers_uri_keyword_query_and_known_secrets():
    text = "postgresql://app:pw1@h/db host=h password='p w2' x?password=pw3&sslmode=require leaked pw4"
    masked = redact(text, ["pw4"])
    for secret in ("pw1", "p w2", "pw3", "pw4"):
        assert secret not in masked
    assert redact_dsn("postgresql://app@h/db") == "postgresql://app@h/db"


def test_client_reads_catalogue_and_refuses_writes(postgres_server):
    dbname = postgres_server.new_database("src")
    target = parse_targets(postgres_server.url(dbname))[0]
    diagnostics = PostgresDiagnostics(target)
    info = diagnostics.server_info()
    assert info["database"] == dbname and info["in_recovery"] is False
    usage = diagnostics.connection_usage()
    assert usage["max_connections"] == 20 and usage["used"] >= 0
    stats = diagnostics.database_stats()
    assert stats["datname"] == dbname and isinstance(stats["deadlocks"], int)
    assert diagnostics.replication() == []
    with diagnostics._session() as conn, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        conn.execute("CREATE TABLE should_not_exist (id int)")


def test_connection_failure_is_redacted(postgres_server):
    dsn = f"postgresql://nobody:TopSecret99@127.0.0.1:{free_port()}/orders"
    diagnostics = PostgresDiagnostics(parse_targets(dsn)[0], connect_timeout_s=2)
    with pytest.raises(DiagnosticsError) as caught:
        diagnostics.server_info()
    assert caught.value.stage == "connect"
    assert "TopSecret99" not in str(caught.value)
    assert "postgres/orders" in str(caught.value)
