from __future__ import annotations

from db_snapshots import CONTEXT
from db_snapshots import snapshot as _snapshot

from functions._platform.analyzers.runner import run


def test_replication_lag_over_threshold():
    snapshot = _snapshot(replication=[
        {"application_name": "replica-a", "replay_lag_s": 240.0, "replay_lag_bytes": 1e9},
        {"application_name": "replica-b", "replay_lag_s": 0.2}])
    [lag] = [f for f in run("database", snapshot, CONTEXT, scope="snapshot") if f.kind == "replication_lag"]
    assert [r["application_name"] for r in lag.evidence["replicas"]] == ["replica-a"]
    assert lag.severity == "critical"
    healthy = _snapshot(replication=[{"application_name": "replica-b", "replay_lag_s": 0.2}])
    assert run("database", healthy, CONTEXT, scope="snapshot") == []
