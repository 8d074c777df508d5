"""The auth record analyzers together; each analyzer's own tests are in test_<module>.py beside this file."""

from __future__ import annotations

from auth_traffic import CONTEXT, quiet_traffic

from functions._platform.analyzers.registry import analyzers


def test_quiet_traffic_gives_nothing() -> None:
    records = quiet_traffic()
    assert [f for a in analyzers("auth", "records") for f in a.analyze(records, CONTEXT)] == []
