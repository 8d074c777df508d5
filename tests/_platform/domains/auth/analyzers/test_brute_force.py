from __future__ import annotations

from datetime import timedelta

from auth_traffic import CONTEXT, START, http, quiet_traffic

from functions._platform.domains.auth.analyzers.auth_failure_spike import AuthFailureSpike
from functions._platform.domains.auth.analyzers.brute_force import BruteForce


def test_http_401_burst_from_one_source_is_brute_force_and_spike() -> None:
    records = quiet_traffic()
    records += [http(START + timedelta(minutes=10, seconds=3 * i), 401, "203.0.113.50", user="alice")
                for i in range(60)]
    records.sort(key=lambda r: r.timestamp)
    brute = BruteForce().analyze(records, CONTEXT)
    assert [(f.subject, f.evidence["source_ip"], f.evidence["attempts"]) for f in brute] == [
        ("shop", "203.0.113.50", 60)]
    spike = AuthFailureSpike().analyze(records, CONTEXT)
    assert len(spike) == 1 and spike[0].evidence["path"] == "/login" and spike[0].evidence["failures"] >= 60
