from __future__ import annotations

from db_snapshots import CONTEXT, WINDOW
from db_snapshots import snapshot as _snapshot

from functions._platform.analyzers.runner import run
from functions._platform.domains.database.analyzers.grading import database_context
from functions._platform.domains.database.analyzers.thresholds import DatabaseThresholds


def test_thresholds_are_overridable_through_the_context():
    sessions = [{"pid": 7, "state": "active", "query_age_s": 30.0, "query": "SELECT 1"}]
    assert run("database", _snapshot(long_queries=sessions), CONTEXT, scope="snapshot") == []
    strict = database_context(WINDOW, thresholds=DatabaseThresholds(long_query_s=10))
    assert [f.kind for f in run("database", _snapshot(long_queries=sessions), strict, scope="snapshot")] == ["long_running_query"]
