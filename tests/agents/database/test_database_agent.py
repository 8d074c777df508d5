"""The database agent end to end against a real PostgreSQL with injected faults."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from support.pg_fixtures import (
    MAX_CONNECTIONS,
    SUPERUSER_RESERVED,
    investigation_request,
    run_in_background,
    wait_until,
)
from support.servers import Postgres, free_port

from functions._platform.config import Settings
from functions._platform.domains.database.analyzers.thresholds import DatabaseThresholds
from functions._platform.mcp.client import ToolSession
from functions.agents.contract import AgentResult
from functions.agents.database.agent import DatabaseAgent
from functions.agents.investigate import collect_evidence


def settings_for(dsns: str, home: Path, **extra) -> Settings:
    return Settings(diag_postgres_dsns=dsns, home=home, **extra)


def investigate(settings: Settings, thresholds: DatabaseThresholds | None = None,
                window_start: datetime | None = None) -> AgentResult:
    async def run() -> AgentResult:
        async with ToolSession("postgres", settings) as tools:
            return await DatabaseAgent(thresholds).investigate(investigation_request(window_start), tools)

    return asyncio.run(run())


def of_kind(result: AgentResult, kind: str):
    return [f for f in result.findings if f.kind == kind]


def make_table(server: Postgres, dbname: str) -> None:
    with server.connect(dbname) as conn:
        conn.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)")
        conn.execute("INSERT INTO accounts VALUES (1, 100), (2, 100)")


def test_healthy_database_has_no_findings_and_is_listed_as_checked(postgres_server, tmp_path):
    dbname = postgres_server.new_database("healthy")
    evidence = collect_evidence(investigation_request(), settings_for(postgres_server.url(dbname), tmp_path))
    assert evidence.status == "success", evidence.error
    assert evidence.findings == []
    assert len(evidence.checked) == 1
    assert evidence.checked[0].startswith(f"postgres/{dbname}: ")
    assert "/20 connections, no blocking" in evidence.checked[0]


def test_not_configured_answers_no_data(tmp_path):
    assert not DatabaseAgent().configured(Settings(home=tmp_path))
    evidence = collect_evidence(investigation_request(), Settings(home=tmp_path))
    assert evidence.status == "no_data"


def test_row_lock_chain_names_the_blocker(postgres_server, tmp_path):
    dbname = postgres_server.new_database("locks")
    make_table(postgres_server, dbname)
    blocker = psycopg.connect(postgres_server.url(dbname), application_name="batch-job")
    blocker.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 1")  # transaction left open
    blocker_pid = blocker.info.backend_pid
    waiters = [run_in_background(postgres_server, dbname, "UPDATE accounts SET balance = balance - 5 WHERE id = 1")
               for _ in range(2)]
    try:
        wait_until(lambda: _lock_waiters(postgres_server, dbname) == 2, what="two sessions waiting on the row")
        result = investigate(settings_for(postgres_server.url(dbname), tmp_path),
                             DatabaseThresholds(lock_wait_s=0, idle_in_transaction_s=0))
    finally:
        blocker.rollback()
        blocker.close()
        for waiter in waiters:
            waiter.thread.join(10)
            waiter.conn.close()
    [contention] = of_kind(result, "lock_contention")
    assert contention.subject == f"postgres/{dbname}"
    blocker_evidence = contention.evidence["blocker"]
    assert blocker_evidence["pid"] == blocker_pid
    assert blocker_evidence["state"] == "idle in transaction"
    assert blocker_evidence["application"] == "batch-job"
    assert "balance + 1" in blocker_evidence["query"]
    assert sorted(contention.evidence["waiting_pids"]) == sorted(w.pid for w in waiters)
    assert f"pid {blocker_pid}" in contention.summary
    assert contention.query.startswith("blocking_chains(")
    assert contention.window is not None and contention.baseline is not None
    [idle] = of_kind(result, "db_idle_in_transaction")
    assert idle.evidence["blocking_pids"] == [blocker_pid]
    assert idle.severity == "critical"
    assert result.checked == []


def _lock_waiters(server: Postgres, dbname: str) -> int:
    with server.connect() as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                           (dbname,)).fetchone()
    return int(row[0])


def test_connections_near_max_are_saturation(postgres_server, tmp_path):
    dbname = postgres_server.new_database("busy")
    wait_until(lambda: postgres_server.client_backends() == 0, what="earlier tests' sessions to end")
    baseline_used = postgres_server.client_backends()
    usable = MAX_CONNECTIONS - SUPERUSER_RESERVED
    hogs = [psycopg.connect(postgres_server.url(dbname), application_name="pool-hog", autocommit=True)
            for _ in range(14 - baseline_used)]
    try:
        result = investigate(settings_for(postgres_server.url(dbname), tmp_path))
    finally:
        for conn in hogs:
            conn.close()
    [saturation] = of_kind(result, "db_connection_saturation")
    assert saturation.evidence["used"] >= 14
    assert saturation.evidence["usable"] == usable
    assert saturation.evidence["max_connections"] == MAX_CONNECTIONS
    assert saturation.evidence["top_clients"][0]["application_name"] == "pool-hog"
    assert saturation.evidence["opened_in_window"] >= len(hogs)
    assert saturation.onset is not None
    assert "pool-hog" in saturation.summary


def test_below_threshold_is_not_saturation(postgres_server, tmp_path):
    dbname = postgres_server.new_database("calm")
    conns = [postgres_server.connect(dbname) for _ in range(5)]
    try:
        result = investigate(settings_for(postgres_server.url(dbname), tmp_path))
    finally:
        for conn in conns:
            conn.close()
    assert of_kind(result, "db_connection_saturation") == []


def test_long_pg_sleep_query_is_flagged(postgres_server, tmp_path):
    dbname = postgres_server.new_database("slow")
    sleeper = run_in_background(postgres_server, dbname, "SELECT pg_sleep(60) AS report_query")
    try:
        wait_until(lambda: _query_age(postgres_server, sleeper.pid) > 1.0, what="pg_sleep to run for a second")
        result = investigate(settings_for(postgres_server.url(dbname), tmp_path),
                             DatabaseThresholds(long_query_s=0.5))
    finally:
        sleeper.conn.cancel_safe()
        sleeper.thread.join(10)
        sleeper.conn.close()
    [slow] = of_kind(result, "long_running_query")
    assert slow.evidence["sessions"][0]["pid"] == sleeper.pid
    assert "pg_sleep" in slow.evidence["sessions"][0]["query"]
    assert slow.evidence["sessions"][0]["query_age_s"] >= 0.5
    assert slow.query == f'long_queries({{"min_age_s": 0.5, "target": "postgres/{dbname}"}})'
    assert isinstance(sleeper.error[0], psycopg.errors.QueryCanceled)


def _query_age(server: Postgres, pid: int) -> float:
    with server.connect() as conn:
        row = conn.execute("SELECT EXTRACT(EPOCH FROM now() - query_start)::float8 FROM pg_stat_activity"
                           " WHERE pid = %s AND state = 'active'", (pid,)).fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


def test_new_deadlock_is_compared_with_the_earlier_sample(postgres_server, tmp_path):
    dbname = postgres_server.new_database("deadlock")
    make_table(postgres_server, dbname)
    settings = settings_for(postgres_server.url(dbname), tmp_path)
    first = investigate(settings)
    assert of_kind(first, "deadlocks") == []
    window_start = datetime.now(UTC)
    _inject_deadlock(postgres_server, dbname)
    wait_until(lambda: _deadlocks(postgres_server, dbname) >= 1, what="the deadlock counter to move")
    [deadlock] = of_kind(investigate(settings, window_start=window_start), "deadlocks")
    assert deadlock.evidence["new_deadlocks"] == 1
    assert deadlock.evidence["compared"] is True
    assert deadlock.severity == "warning"
    assert deadlock.window.start <= window_start
    [absolute] = of_kind(investigate(settings_for(settings.diag_postgres_dsns, tmp_path / "fresh")), "deadlocks")
    assert absolute.severity == "info" and absolute.evidence["compared"] is False


def _inject_deadlock(server: Postgres, dbname: str) -> None:
    first, second = server.connect(dbname, autocommit=False), server.connect(dbname, autocommit=False)
    try:
        first.execute("UPDATE accounts SET balance = 0 WHERE id = 1")
        second.execute("UPDATE accounts SET balance = 0 WHERE id = 2")
        crossing = first.info.backend_pid
        errors: list[BaseException] = []

        def first_crosses() -> None:
            try:
                first.execute("UPDATE accounts SET balance = 1 WHERE id = 2")
            except psycopg.Error as exc:
                errors.append(exc)

        thread = threading.Thread(target=first_crosses, daemon=True)
        thread.start()
        wait_until(lambda: _waiting(server, crossing), what="the first transaction to wait")
        try:
            second.execute("UPDATE accounts SET balance = 1 WHERE id = 1")
        except psycopg.errors.DeadlockDetected as exc:
            errors.append(exc)
        second.rollback()
        thread.join(10)
        first.rollback()
        assert any(isinstance(e, psycopg.errors.DeadlockDetected) for e in errors)
    finally:
        first.close()
        second.close()


def _waiting(server: Postgres, pid: int) -> bool:
    with server.connect() as conn:
        row = conn.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
    return bool(row) and row[0] == "Lock"


def _deadlocks(server: Postgres, dbname: str) -> int:
    with server.connect(dbname) as conn:
        return int(conn.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = %s", (dbname,)).fetchone()[0])


def test_unreachable_database_is_a_finding_without_the_password(tmp_path):
    port = free_port()
    dsn = f"postgresql://app:Sup3rS3cret@127.0.0.1:{port}/orders?connect_timeout=2"
    evidence = collect_evidence(investigation_request(), settings_for(dsn, tmp_path))
    assert evidence.status == "success", evidence.error
    [finding] = evidence.findings
    assert finding.kind == "db_connection_errors"
    assert finding.subject == "postgres/orders"
    assert finding.severity == "critical"
    assert finding.evidence["reasons"] == {"connection_refused": 1}
    assert finding.query == 'server_info({"target": "postgres/orders"})'
    assert "Sup3rS3cret" not in json.dumps(evidence.model_dump(mode="json"))


def test_one_unreachable_target_does_not_hide_the_others(postgres_server, tmp_path):
    dbname = postgres_server.new_database("mixed")
    port = free_port()
    dsns = f"{postgres_server.url(dbname)},down=postgresql://app@127.0.0.1:{port}/{dbname}"
    evidence = collect_evidence(investigation_request(), settings_for(dsns, tmp_path))
    assert [f.subject for f in evidence.findings] == ["postgres/down"]
    assert [c.split(":")[0] for c in evidence.checked] == [f"postgres/{dbname}"]


def test_tool_calls_are_read_only_and_leave_no_session_behind(postgres_server, tmp_path):
    dbname = postgres_server.new_database("ro")
    make_table(postgres_server, dbname)

    def row_changes() -> int:
        with postgres_server.connect(dbname) as conn:
            return conn.execute("SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables").fetchone()[0]

    wait_until(lambda: row_changes() == 2, what="the two inserts to reach the statistics")
    investigate(settings_for(postgres_server.url(dbname), tmp_path))
    assert row_changes() == 2

    def diagnostics_sessions() -> int:
        with postgres_server.connect(dbname) as conn:
            return conn.execute("SELECT count(*) FROM pg_stat_activity"
                                " WHERE application_name = 'sreo-diagnostics'").fetchone()[0]

    wait_until(lambda: diagnostics_sessions() == 0, what="diagnostics sessions to end")  # backends exit async
