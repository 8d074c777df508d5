"""capacity_forecast on constructed series; the trend maths and the scan are tested in tests/scan."""

from __future__ import annotations

from metric_series import BASELINE, LIMIT, TIMES, WINDOW, context, memory

from functions._platform.domains.metrics.analyzers.capacity_forecast import CapacityForecast, forecasts
from functions._platform.domains.metrics.analyzers.signals import SignalData, metrics_context
from functions._platform.domains.metrics.source import Series

CLUSTER = metrics_context(service=None, window=WINDOW, baseline=BASELINE, step_s=60)


def connections(used_share, max_connections: float = 200.0) -> dict[str, SignalData]:
    instance = {"instance": "orders-db:9187"}
    used = Series(labels={"__name__": "pg_stat_activity_count", **instance},
                  points=[(t, max_connections * used_share(t)) for t in TIMES])
    ceiling = Series(labels={"__name__": "pg_settings_max_connections", **instance},
                     points=[(t, max_connections) for t in TIMES])
    return {"connections": SignalData([used], "pg_stat_activity_count"),
            "max_connections": SignalData([ceiling], "pg_settings_max_connections")}


def rising(start: float, per_hour: float):
    return lambda t: start + per_hour * (t - TIMES[0]) / 3600


def test_connections_rising_toward_max_connections_are_forecast_to_run_out_soon():
    (finding,) = CapacityForecast().analyze(connections(rising(0.3, 0.1)), CLUSTER)  # 0.3 -> 0.6 in three hours
    assert (finding.kind, finding.subject) == ("capacity_forecast", "database/orders-db")
    assert finding.evidence["resource"] == "connections"
    assert finding.severity == "critical"  # full in about four hours
    assert 3 < finding.evidence["hours_to_exhaustion"] < 5


def test_a_slow_rise_that_fills_within_the_week_is_a_warning():
    (finding,) = CapacityForecast().analyze(connections(rising(0.3, 0.006)), CLUSTER)  # full in about 4-5 days
    assert finding.severity == "warning" and finding.evidence["hours_to_exhaustion"] > 24


def test_flat_use_and_already_saturated_use_give_no_forecast():
    assert CapacityForecast().analyze(connections(lambda t: 0.4), CLUSTER) == []
    # at the limit already: resource_saturation reports it; a forecast is the early warning
    assert CapacityForecast().analyze(connections(rising(0.7, 0.1)), CLUSTER) == []
    assert [f.resource for f in forecasts(connections(lambda t: 0.4), CLUSTER)] == ["connections"]


def test_a_container_s_memory_growing_toward_its_limit_is_forecast_on_the_service():
    (finding,) = CapacityForecast().analyze(memory(lambda t: LIMIT * rising(0.2, 0.1)(t)), context())
    assert (finding.subject, finding.evidence["resource"]) == ("api", "memory")
