"""A shared-database fault behind two failing callers, with a real fault injected into PostgreSQL.

orders and billing both reach postgres/shop (their DATABASE_URL env says so, which gives the digital
twin its edges). A transaction holds a row lock that other sessions queue behind, and idle sessions use
up the connection slots; orders and billing log "too many clients" and lock timeouts and answer 5xx.
The database agent reads the live diagnostics and must find the fault; the ranking must put the
database first, above the two callers whose errors it explains.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from e2e_harness import ScenarioSources
from e2e_shop import ShopService, write_shop
from support.servers import Postgres, postgres

from functions._platform.domains.database.analyzers.thresholds import DEFAULT_THRESHOLDS

MAX_CONNECTIONS = 20  # 3 of them reserved for superusers, so 17 usable
HELD_SESSIONS = 16
DB_ERRORS = [
    'connection to server at "postgres" (10.1.0.40), port 5432 failed: FATAL: sorry, too many clients already',
    "canceling statement due to lock timeout while updating table accounts",
]


@pytest.fixture(scope="module")
def faulty_database() -> Iterator[Postgres]:
    """PostgreSQL with a lock chain (one blocker, two waiters) and its connection slots nearly used up."""
    with postgres(max_connections=MAX_CONNECTIONS) as server:
        with server.connect() as admin:
            admin.execute("CREATE DATABASE shop")
        with server.connect("shop") as setup:
            setup.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)")
            setup.execute("INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 10) g")
        blocker = server.connect("shop")
        blocker.execute("BEGIN")
        blocker.execute("UPDATE accounts SET balance = balance - 1 WHERE id = 1")
        waiters = [server.connect("shop") for _ in range(2)]
        threads = [threading.Thread(target=w.execute, args=("UPDATE accounts SET balance = 0 WHERE id = 1",),
                                    daemon=True) for w in waiters]
        for thread in threads:
            thread.start()
        idle = [server.connect("shop") for _ in range(HELD_SESSIONS - 1 - len(waiters))]
        time.sleep(DEFAULT_THRESHOLDS.lock_wait_s + 1)  # the waiters must have waited past the threshold
        try:
            yield server
        finally:
            blocker.execute("ROLLBACK")
            for thread in threads:
                thread.join(timeout=10)
            for conn in [blocker, *waiters, *idle]:
                conn.close()


def test_shared_database_fault_ranks_the_database_above_both_failing_callers(
        tmp_path: Path, run_scenario, faulty_database: Postgres):
    now = datetime.now(UTC).replace(microsecond=0)
    dsn = "postgres://app@postgres:5432/shop"
    failing = timedelta(minutes=8)
    services = [
        ShopService("web", env={"ORDERS_URL": "http://orders:8080", "BILLING_URL": "http://billing:8080"}),
        ShopService("orders", env={"DATABASE_URL": dsn}, error_lines=DB_ERRORS, error_ratio=0.5,
                    failing_since=failing),
        ShopService("billing", env={"DATABASE_URL": dsn}, error_lines=DB_ERRORS, error_ratio=0.4,
                    failing_since=failing),
        ShopService("catalog"),
    ]
    shop = write_shop(tmp_path / "shop", services, now)
    run = run_scenario(
        ScenarioSources(kube_snapshot=shop.snapshot, metrics_files=[shop.metrics], logs=[(shop.app_log, None)],
                        diag_postgres_dsns=faulty_database.url("shop")),
        incident={"text": "orders and billing pods return 500s: too many connections and lock timeouts",
                  "service": "orders", "namespace": "shop", "severity": "critical", "started_at": (now - failing).isoformat()},
    )

    assert {("orders", "postgres/shop"), ("billing", "postgres/shop")} <= run.edges
    database = run.evidence["database"]
    assert database["status"] == "success", database
    assert {"lock_contention", "db_connection_saturation"} <= {f["kind"] for f in database["findings"]}
    top = run.top
    assert top["component"] == "postgres/shop", run.components()
    assert top["kind"] in {"lock_contention", "db_connection_saturation"}
    assert "anomalous caller(s) depend on it" in top["reason"]
    assert "it explains the anomalies of orders" in top["reason"]
    assert run.components()[1] == "orders"
    assert run.backing_domains(top) >= {"database", "kubernetes", "logs", "metrics"}
    named = next(f for f in top["evidence"] if f["kind"] == "container_log_error")
    assert named["subject"] == "orders" and named["evidence"]["dependency"] == ["postgres/shop"]
    lock = next(f for f in top["evidence"] if f["kind"] == "lock_contention")
    assert lock["evidence"]["blocker"]["pid"] > 0
