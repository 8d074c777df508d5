from __future__ import annotations

from db_snapshots import CONTEXT
from db_snapshots import snapshot as _snapshot

from functions._platform.analyzers.runner import run
from functions._platform.domains.database.analyzers.lock_contention import LockContentionAnalyzer


def test_lock_cycle_and_prepared_transaction_blockers():
    edges = [
        {"waiting_pid": 11, "blocker_pid": 0, "waiting_s": 30.0},
        {"waiting_pid": 12, "blocker_pid": 11, "waiting_s": 10.0},
    ]
    [finding] = run("database", _snapshot(blocking=edges), CONTEXT, scope="snapshot")
    assert finding.evidence["blocker"]["pid"] == 0 and "prepared" in finding.evidence["blocker"]["note"]
    assert finding.evidence["waiting_pids"] == [11, 12] and finding.evidence["chain_depth"] == 2


def test_waiters_behind_one_blocker_past_the_wait_threshold_are_contention_on_the_database():
    edges = [{"waiting_pid": 20 + i, "blocker_pid": 7, "waiting_s": 40.0, "blocker_application": "batch"}
             for i in range(6)]
    [finding] = LockContentionAnalyzer().analyze(_snapshot(blocking=edges), CONTEXT)
    assert (finding.kind, finding.subject) == ("lock_contention", "postgres/orders")
    assert finding.severity == "critical"  # six waiters behind one blocker, over the default of five
    assert finding.evidence["blocker"]["pid"] == 7


def test_brief_waits_and_no_waits_are_no_contention():
    brief = [{"waiting_pid": 20, "blocker_pid": 7, "waiting_s": 1.0}]
    assert LockContentionAnalyzer().analyze(_snapshot(blocking=brief), CONTEXT) == []
    assert LockContentionAnalyzer().analyze(_snapshot(), CONTEXT) == []
