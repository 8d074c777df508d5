"""The pure database analyzers on inputs written here (no server needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from support.paths import REPO_ROOT

from functions._platform.analyzers.registry import analyzers
from functions._platform.analyzers.runner import run
from functions._platform.domains.database.analyzers.connection_errors import LogLine, classify, database_host
from functions._platform.domains.database.analyzers.grading import database_context
from functions._platform.domains.database.analyzers.snapshot import DatabaseSnapshot
from functions._platform.domains.database.analyzers.thresholds import DatabaseThresholds
from sreo_events.models import TimeWindow

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
WINDOW = TimeWindow(start=NOW - timedelta(minutes=15), end=NOW)
CONTEXT = database_context(WINDOW)


def at(minutes_before_now: float) -> datetime:
    return NOW - timedelta(minutes=minutes_before_now)


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


def _snapshot(**sections) -> DatabaseSnapshot:
    return DatabaseSnapshot(target="postgres/orders", database="orders", **sections)


def test_replication_lag_over_threshold():
    snapshot = _snapshot(replication=[
        {"application_name": "replica-a", "replay_lag_s": 240.0, "replay_lag_bytes": 1e9},
        {"application_name": "replica-b", "replay_lag_s": 0.2}])
    [lag] = [f for f in run("database", snapshot, CONTEXT, scope="snapshot") if f.kind == "replication_lag"]
    assert [r["application_name"] for r in lag.evidence["replicas"]] == ["replica-a"]
    assert lag.severity == "critical"
    healthy = _snapshot(replication=[{"application_name": "replica-b", "replay_lag_s": 0.2}])
    assert run("database", healthy, CONTEXT, scope="snapshot") == []


def test_deadlocks_at_the_usual_rate_are_not_reported():
    history = [{"deadlocks": 100, "stats_reset": at(60 * 24 * 10), "observed_at": at(30)}]
    usual = _snapshot(database_stats={"deadlocks": 101, "stats_reset": at(60 * 24 * 10), "observed_at": NOW},
                      counter_history=history)
    assert run("database", usual, CONTEXT, scope="snapshot") == []
    burst = usual.model_copy(update={"database_stats": usual.database_stats.model_copy(update={"deadlocks": 140})})
    [finding] = run("database", burst, CONTEXT, scope="snapshot")
    assert finding.kind == "deadlocks" and finding.evidence["new_deadlocks"] == 40
    assert finding.baseline.start == at(60 * 24 * 10) and finding.window.start == at(30)


def test_lock_cycle_and_prepared_transaction_blockers():
    edges = [
        {"waiting_pid": 11, "blocker_pid": 0, "waiting_s": 30.0},
        {"waiting_pid": 12, "blocker_pid": 11, "waiting_s": 10.0},
    ]
    [finding] = run("database", _snapshot(blocking=edges), CONTEXT, scope="snapshot")
    assert finding.evidence["blocker"]["pid"] == 0 and "prepared" in finding.evidence["blocker"]["note"]
    assert finding.evidence["waiting_pids"] == [11, 12] and finding.evidence["chain_depth"] == 2


def test_thresholds_are_overridable_through_the_context():
    sessions = [{"pid": 7, "state": "active", "query_age_s": 30.0, "query": "SELECT 1"}]
    assert run("database", _snapshot(long_queries=sessions), CONTEXT, scope="snapshot") == []
    strict = database_context(WINDOW, thresholds=DatabaseThresholds(long_query_s=10))
    assert [f.kind for f in run("database", _snapshot(long_queries=sessions), strict, scope="snapshot")] == ["long_running_query"]


def test_every_kind_is_documented():
    readme = (REPO_ROOT / "functions/_platform/domains/database/analyzers/README.md").read_text()
    for kind in [analyzer.kind for analyzer in analyzers("database")]:
        assert f"`{kind}`" in readme, kind
