"""The migration and the models agree, on both backends; concurrent refreshes of one source take turns."""

from __future__ import annotations

import threading
from pathlib import Path

from support.schema import schema_drift
from topology_cluster import write_snapshot

import functions._platform.topology.models  # noqa: F401  (registers the topology tables on the shared Base)
from functions._platform.db.engine import Database, upgrade
from functions._platform.topology import TopologyInputs, load_edges, refresh, topology_document

TOPOLOGY_TABLES = {"topology_nodes", "topology_edges", "topology_builds"}


def test_models_match_the_migration(store: Database) -> None:
    assert schema_drift(store.engine, TOPOLOGY_TABLES) == []


def test_downgrade_then_upgrade(store: Database) -> None:
    from sqlalchemy import inspect

    upgrade(store.engine, "head")
    from alembic import command

    from functions._platform.db.engine import _alembic_config

    command.downgrade(_alembic_config(store.engine), "0001")
    assert not TOPOLOGY_TABLES & set(inspect(store.engine).get_table_names())
    upgrade(store.engine)
    assert TOPOLOGY_TABLES <= set(inspect(store.engine).get_table_names())


def test_concurrent_refreshes_of_one_source(store: Database, tmp_path: Path) -> None:
    inputs = TopologyInputs(kube_snapshot=write_snapshot(tmp_path / "snap"))
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(3):
                with store.session() as session:
                    refresh(session, inputs)
        except BaseException as exc:  # noqa: BLE001  (collected for the assertion below)
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with store.session() as session:
        document = topology_document(session)
        edges = load_edges(session)
    assert document["sources"]["kubernetes"]["status"] == "ok"
    assert document["sources"]["kubernetes"]["edges"] == len(document["edges"])
    assert ("checkout", "payments") in edges
