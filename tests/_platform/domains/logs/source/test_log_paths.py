"""The kubelet's log files are named for their pod's workload and keep apart when many are ingested together."""

from __future__ import annotations

from pathlib import Path

import pytest

from functions._platform.domains.logs.source import ingest
from functions._platform.domains.logs.source.paths import names_of, workload_of_pod
from functions._platform.search import LOGS_INDEX
from functions._platform.search.sqlite_fts import SqliteFtsBackend

UID = "0c8f0b4e-6d0a-4b8e-9d0f-3b6a1f2e4c5d"


@pytest.mark.parametrize(("pod", "workload"), [
    ("cart-7d9f8b6c5-x2x7q", "cart"),         # Deployment: ReplicaSet hash and pod suffix
    ("node-exporter-4kz9p", "node-exporter"),  # DaemonSet or Job: pod suffix only
    ("orders-db-0", "orders-db"),               # StatefulSet ordinal
    ("standalone", "standalone"),               # a bare Pod keeps its name
])
def test_workload_of_pod(pod: str, workload: str) -> None:
    assert workload_of_pod(pod) == workload


@pytest.mark.parametrize(("path", "names"), [
    (f"/var/log/pods/shop_cart-7d9f8b6c5-x2x7q_{UID}/cart/0.log", ("cart", "shop/cart-7d9f8b6c5-x2x7q/cart/0.log")),
    (f"/var/log/pods/shop_cart-7d9f8b6c5-x2x7q_{UID}/istio-proxy/1.log.20260314-101500",
     ("cart", "shop/cart-7d9f8b6c5-x2x7q/istio-proxy/1.log.20260314-101500")),
    ("/var/log/containers/orders-db-0_shop_postgres-" + "ab12" * 16 + ".log",
     ("orders-db", "shop/orders-db-0/postgres/orders-db-0_shop_postgres-" + "ab12" * 16 + ".log")),
    ("/var/log/nginx/access.log.1", ("access", "access.log.1")),
    ("logs/cart.log", ("cart", "cart.log")),
])
def test_names_of(path: str, names: tuple[str, str]) -> None:
    assert names_of(Path(path)) == names


def test_many_pods_logs_ingested_together_keep_their_service_and_file(tmp_path: Path) -> None:
    files = []
    for namespace, pod in (("shop", "cart-7d9f8b6c5-x2x7q"), ("shop", "cart-7d9f8b6c5-p4lm2"), ("billing", "ledger-0")):
        folder = tmp_path / "pods" / f"{namespace}_{pod}_{UID}" / "app"
        folder.mkdir(parents=True)
        path = folder / "0.log"
        path.write_text("".join(f"2026-03-14T10:0{n}:00.000000000Z stderr F same line {n}\n" for n in range(3)))
        files.append(path)
    backend = SqliteFtsBackend(tmp_path / "store.db")
    try:
        stats = ingest.ingest_files(files, backend)
        hits = [hit.source for hit in backend.search(LOGS_INDEX, None, k=100)]
    finally:
        backend.close()
    assert [s.indexed for s in stats] == [3, 3, 3]  # identical lines of two pods of one workload are not merged
    assert sorted({(doc["service"], doc["file"]) for doc in hits}) == [
        ("cart", "shop/cart-7d9f8b6c5-p4lm2/app/0.log"), ("cart", "shop/cart-7d9f8b6c5-x2x7q/app/0.log"),
        ("ledger", "billing/ledger-0/app/0.log")]
    assert len(hits) == 9
