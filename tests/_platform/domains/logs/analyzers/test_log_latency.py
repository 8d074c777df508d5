from __future__ import annotations

from datetime import timedelta

import pytest
from log_lines import START
from log_lines import records as _records

from functions._platform.domains.logs.analyzers.log_latency import LogLatencyAnalyzer
from functions._platform.domains.logs.analyzers.windows import windows_before


def test_durations_in_log_text_are_latency_samples():
    context = windows_before(START, START + timedelta(minutes=10))
    usual = _records("orders", [f"Database call completed in 0.0{n % 4 + 2} seconds" for n in range(30)],
                     START - timedelta(minutes=40), 60)
    slow = _records("orders", [f"Database call completed in 8.0{n} seconds" for n in range(6)], START)
    finding, = LogLatencyAnalyzer().analyze(usual + slow, context)
    assert finding.subject == "orders" and finding.evidence["robust_z"] > 10
    assert finding.evidence["median_s"] == pytest.approx(8.025, abs=0.01)
    assert not LogLatencyAnalyzer().analyze(usual, context)


def test_a_peer_that_logs_nothing_is_seen_through_its_callers_durations():
    context = windows_before(START, START + timedelta(minutes=10))
    records = []
    for caller in ("checkout", "cart"):
        records += _records(caller, [f"GET http://pricing:8080/v2/quote completed in {30 + n}ms" for n in range(30)],
                            START - timedelta(minutes=40), 60)
        records += _records(caller, [f"GET http://pricing:8080/v2/quote completed in 7.{n} s" for n in range(8)],
                            START)
    findings = {f.subject: f for f in LogLatencyAnalyzer().analyze(sorted(records, key=lambda r: r.timestamp),
                                                                     context)}
    assert set(findings) == {"checkout", "cart", "pricing"}
    assert findings["checkout"].evidence["target"] == {"pricing:8080": 8}
    assert findings["pricing"].evidence["seen_by"] == ["cart", "checkout"]
    assert findings["pricing"].evidence["robust_z"] > 10
