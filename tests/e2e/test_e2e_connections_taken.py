"""A shared database out of connections, taken by a client that changed nothing anyone can see.

billing and usage-aggregator both reach postgres/billing (their DATABASE_URL says so). usage-aggregator's pool
was grown by configuration outside its pod template, so there is no rollout, no new ReplicaSet, no scale-up: only
its sessions, opened during the incident, fill the server, and billing logs "too many clients already". The
database agent reads the real server's sessions; correlate must hand the blame to usage-aggregator, not to the
database that is only full nor to billing that only reports it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from e2e_harness import ScenarioSources
from e2e_shop import ShopService, write_shop
from support.servers import Postgres, postgres

MAX_CONNECTIONS = 20  # 3 reserved for superusers: 17 usable
POOLS = {"billing": 3, "usage-aggregator": 13}
REFUSED = ['connection to server at "billing-db" (10.1.0.41), port 5432 failed: FATAL: sorry, too many clients already']


@pytest.fixture(scope="module")
def full_database() -> Iterator[Postgres]:
    with postgres(max_connections=MAX_CONNECTIONS) as server:
        with server.connect() as admin:
            admin.execute("CREATE DATABASE billing")
        pools = [psycopg.connect(server.url("billing"), application_name=client, autocommit=True)
                 for client, size in POOLS.items() for _ in range(size)]
        try:
            yield server
        finally:
            for conn in pools:
                conn.close()


def test_the_client_whose_sessions_filled_the_database_ranks_first(tmp_path: Path, run_scenario,
                                                                    full_database: Postgres) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    dsn = "postgres://app@billing-db:5432/billing"
    failing = timedelta(minutes=6)
    services = [
        ShopService("web", env={"BILLING_URL": "http://billing:8080"}),
        ShopService("billing", env={"DATABASE_URL": dsn}, error_lines=REFUSED, error_ratio=0.5,
                    failing_since=failing),
        ShopService("usage-aggregator", env={"DATABASE_URL": dsn}),
        ShopService("billing-db"),
        ShopService("catalog"),
    ]
    shop = write_shop(tmp_path / "shop", services, now)
    run = run_scenario(
        ScenarioSources(kube_snapshot=shop.snapshot, metrics_files=[shop.metrics], logs=[(shop.app_log, None)],
                        diag_postgres_dsns=f"billing={full_database.url('billing')}"),
        incident={"text": "invoices fail: billing returns 500s, too many clients", "service": "billing",
                  "namespace": "shop", "severity": "critical", "started_at": (now - failing).isoformat()},
    )

    assert {("billing", "postgres/billing"), ("usage-aggregator", "postgres/billing")} <= run.edges
    database = run.evidence["database"]
    [saturation] = [f for f in database["findings"] if f["kind"] == "db_connection_saturation"]
    opened = {e["application"]: e["opened"] for e in saturation["evidence"]["opened_by_client"]}
    assert opened == POOLS
    top = run.top
    assert (top["component"], top["kind"]) == ("usage-aggregator", "took_shared_connections"), run.components()
    taken = next(f for f in top["evidence"] if f["kind"] == "took_shared_connections")
    assert taken["evidence"]["opened_in_window"] == POOLS["usage-aggregator"]
