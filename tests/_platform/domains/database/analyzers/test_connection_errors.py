"""Connection errors in application logs, grouped by the database host they name (no server needed)."""

from __future__ import annotations

from db_snapshots import CONTEXT, WINDOW, at

from functions._platform.analyzers.runner import run
from functions._platform.domains.database.analyzers.connection_errors import LogLine, classify, database_host
from functions._platform.domains.database.analyzers.grading import database_context


def test_connection_error_lines_are_grouped_by_database_host():
    lines = [
        LogLine(text='psycopg.OperationalError: connection failed: connection to server at "orders-db" '
                     '(10.0.0.5), port 5432 failed: Connection refused', timestamp=at(5), service="checkout"),
        LogLine(text="sqlalchemy.exc.OperationalError: FATAL: sorry, too many clients already "
                     "(postgresql://app:hunter2@orders-db:5432/orders)", timestamp=at(4), service="checkout"),
        LogLine(text="Error: connect ECONNREFUSED orders-db:5432", timestamp=at(3), service="payments"),
        LogLine(text="redis: connection refused to cache:6379", timestamp=at(3), service="checkout"),
        LogLine(text='could not connect to server: Connection refused. Is the server running on host "users-db"',
                timestamp=at(2), service="accounts"),
        LogLine(text='connection to server at "orders-db" (10.0.0.5), port 5432 failed', timestamp=at(30)),
    ]
    findings = run("database", lines, scope="log_lines", context=database_context(
        WINDOW, host_subjects={"orders-db": "postgres/orders"}))
    [orders] = findings  # users-db has one line, under the default minimum of three
    assert orders.kind == "db_connection_errors" and orders.subject == "postgres/orders"
    assert orders.evidence["count"] == 3 and orders.evidence["baseline_count"] == 1
    assert orders.evidence["reasons"] == {"connection_refused": 2, "too_many_connections": 1}
    assert orders.severity == "critical"  # the server said it is out of connection slots
    assert orders.onset == at(5)
    assert not any("hunter2" in line for line in orders.evidence["sample_lines"])


def test_connection_errors_at_baseline_level_are_not_reported():
    steady = [LogLine(text="FATAL: sorry, too many clients already on postgres orders-db:5432", timestamp=at(m))
              for m in (1, 2, 3, 20, 25, 30, 35, 40, 45)]
    assert run("database", steady, scope="log_lines", context=CONTEXT) == []


def test_classification_and_hosts():
    assert classify("psql: error: connection to server on socket failed: Connection refused") == "connection_refused"
    assert classify("HTTP 502 connection refused by upstream") is None
    assert database_host("dsn=host=db.internal port=5432 dbname=x") == "db.internal"
    assert database_host("jdbc:postgresql://Billing-DB:5432/billing") == "billing-db"
