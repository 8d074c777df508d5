from __future__ import annotations

from datetime import timedelta

from auth_traffic import CONTEXT, START, http

from functions._platform.domains.auth.analyzers.success_after_failures import SuccessAfterFailures


def test_success_after_failures_from_the_same_source() -> None:
    records = [http(START + timedelta(seconds=10 * i), 401, "203.0.113.77", user="bob") for i in range(8)]
    records.append(http(START + timedelta(minutes=3), 302, "203.0.113.77", user="bob"))
    findings = SuccessAfterFailures().analyze(records, CONTEXT)
    assert len(findings) == 1 and findings[0].severity == "critical"
    assert findings[0].evidence["failures_before"] == 8
    # the same success with too few failures before it is ordinary
    assert SuccessAfterFailures().analyze(records[5:], CONTEXT) == []
