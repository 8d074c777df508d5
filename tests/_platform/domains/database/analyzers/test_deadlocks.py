from __future__ import annotations

from db_snapshots import CONTEXT, NOW, at
from db_snapshots import snapshot as _snapshot

from functions._platform.analyzers.runner import run


def test_deadlocks_at_the_usual_rate_are_not_reported():
    history = [{"deadlocks": 100, "stats_reset": at(60 * 24 * 10), "observed_at": at(30)}]
    usual = _snapshot(database_stats={"deadlocks": 101, "stats_reset": at(60 * 24 * 10), "observed_at": NOW},
                      counter_history=history)
    assert run("database", usual, CONTEXT, scope="snapshot") == []
    burst = usual.model_copy(update={"database_stats": usual.database_stats.model_copy(update={"deadlocks": 140})})
    [finding] = run("database", burst, CONTEXT, scope="snapshot")
    assert finding.kind == "deadlocks" and finding.evidence["new_deadlocks"] == 40
    assert finding.baseline.start == at(60 * 24 * 10) and finding.window.start == at(30)
