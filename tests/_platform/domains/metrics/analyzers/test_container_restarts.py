from __future__ import annotations

from metric_series import T0, TIMES, context

from functions._platform.domains.metrics.analyzers.container_restarts import ContainerRestarts
from functions._platform.domains.metrics.analyzers.signals import SignalData
from functions._platform.domains.metrics.source import Series


def restarts(times: list[int]) -> dict[str, SignalData]:
    points = [(t, float(sum(1 for r in times if r <= t))) for t in TIMES]
    return {"restarts": SignalData([Series(labels={"pod": "api-1", "container": "api"}, points=points)], "q")}


def test_restarts_in_the_window_are_reported():
    (finding,) = ContainerRestarts().analyze(restarts([T0 + 8000, T0 + 9000]), context())
    assert finding.evidence["restarts"] == 2 and finding.evidence["by_container"] == {"api-1/api": 2}


def test_restarts_at_the_baseline_rate_are_not_reported():
    steady = [T0 + k * 1800 for k in range(1, 6)]
    assert ContainerRestarts().analyze(restarts(steady), context()) == []
