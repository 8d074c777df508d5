from __future__ import annotations

from db_snapshots import CONTEXT, at, snapshot

from functions._platform.domains.database.analyzers.idle_in_transaction import IdleInTransactionAnalyzer


def session(pid: int, state: str, idle_s: float, app: str = "checkout") -> dict:
    return {"pid": pid, "state": state, "state_age_s": idle_s, "application_name": app,
            "state_change": at(idle_s / 60)}


def test_sessions_idle_inside_a_transaction_past_the_threshold_are_found() -> None:
    idle = [session(41, "idle in transaction", 90), session(42, "idle in transaction (aborted)", 70, "reports"),
            session(43, "idle in transaction", 5)]
    [finding] = IdleInTransactionAnalyzer().analyze(snapshot(idle_in_transaction=idle), CONTEXT)
    assert (finding.kind, finding.subject) == ("db_idle_in_transaction", "postgres/orders")
    assert finding.severity == "warning"  # over a minute, blocking nobody
    assert finding.evidence["count"] == 2 and finding.evidence["applications"] == ["checkout", "reports"]
    assert finding.onset == at(1.5)  # the longest-idle session went quiet first


def test_an_idle_transaction_that_blocks_others_is_critical() -> None:
    idle = [session(41, "idle in transaction", 90)]
    blocking = [{"waiting_pid": 50, "blocker_pid": 41, "waiting_s": 20.0}]
    [finding] = IdleInTransactionAnalyzer().analyze(snapshot(idle_in_transaction=idle, blocking=blocking), CONTEXT)
    assert finding.severity == "critical" and finding.evidence["blocking_pids"] == [41]


def test_brief_idleness_and_plain_idle_sessions_give_nothing() -> None:
    idle = [session(43, "idle in transaction", 5), session(44, "idle", 3600)]
    assert IdleInTransactionAnalyzer().analyze(snapshot(idle_in_transaction=idle), CONTEXT) == []
