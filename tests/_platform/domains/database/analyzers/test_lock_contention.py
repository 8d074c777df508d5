from __future__ import annotations

from db_snapshots import CONTEXT
from db_snapshots import snapshot as _snapshot

from functions._platform.analyzers.runner import run


def test_lock_cycle_and_prepared_transaction_blockers():
    edges = [
        {"waiting_pid": 11, "blocker_pid": 0, "waiting_s": 30.0},
        {"waiting_pid": 12, "blocker_pid": 11, "waiting_s": 10.0},
    ]
    [finding] = run("database", _snapshot(blocking=edges), CONTEXT, scope="snapshot")
    assert finding.evidence["blocker"]["pid"] == 0 and "prepared" in finding.evidence["blocker"]["note"]
    assert finding.evidence["waiting_pids"] == [11, 12] and finding.evidence["chain_depth"] == 2
