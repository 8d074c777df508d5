from __future__ import annotations

from db_snapshots import CONTEXT, at, snapshot

from functions._platform.domains.database.analyzers.long_running_transaction import (
    LongRunningTransactionAnalyzer,
)


def transaction(pid: int, open_s: float) -> dict:
    return {"pid": pid, "state": "active", "xact_age_s": open_s, "xact_start": at(open_s / 60),
            "application_name": "billing", "backend_xmin": "7421", "query": "UPDATE invoices SET paid = true"}


def test_a_transaction_open_for_far_longer_than_the_threshold_is_found() -> None:
    data = snapshot(long_transactions=[transaction(9, 7200), transaction(10, 600), transaction(11, 30)])
    [finding] = LongRunningTransactionAnalyzer().analyze(data, CONTEXT)
    assert (finding.kind, finding.subject) == ("long_running_transaction", "postgres/orders")
    assert finding.severity == "critical"  # two hours against a five-minute threshold
    assert finding.evidence["count"] == 2 and finding.evidence["started_before_window"] == 1
    assert finding.evidence["oldest_backend_xmin"] == "7421" and "pid 9" in finding.summary
    assert finding.onset == at(120)


def test_a_transaction_just_over_the_threshold_is_a_warning() -> None:
    [finding] = LongRunningTransactionAnalyzer().analyze(snapshot(long_transactions=[transaction(9, 400)]), CONTEXT)
    assert finding.severity == "warning"


def test_short_transactions_give_nothing() -> None:
    data = snapshot(long_transactions=[transaction(11, 30), transaction(12, 299)])
    assert LongRunningTransactionAnalyzer().analyze(data, CONTEXT) == []
