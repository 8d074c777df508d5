"""Ranking on small constructed graphs: each scenario names the component that must come first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from functions.correlate.ranking import ComponentSignal, RankedCause, rank, series_anomaly, series_onset

T0 = datetime(2024, 5, 1, 10, 0)


def signal(component: str, anomaly: float, minute: int | None = 0, domains=("metrics",), **extra):
    onset = None if minute is None else T0 + timedelta(minutes=minute)
    return ComponentSignal(component, anomaly, onset, frozenset(domains), **extra)


def names(causes: list[RankedCause]) -> list[str]:
    return [cause.component for cause in causes]


def test_empty_input_gives_empty_ranking():
    assert rank([], []) == []


def test_leaf_root_collects_blame_from_its_anomalous_callers():
    edges = [("frontend", "checkout"), ("checkout", "payment"), ("frontend", "catalog")]
    signals = [
        signal("frontend", 6.0),
        signal("checkout", 7.0),
        signal("payment", 9.0),
        signal("catalog", 0.3),
        signal("batch", 10.0),
    ]
    causes = rank(signals, edges)
    assert names(causes)[:2] == ["payment", "batch"]
    assert causes[0].contributions["blame"] > causes[0].contributions["anomaly"]
    assert "no known dependencies" in causes[0].reason


def test_a_hub_does_not_collect_blame_from_callers_that_are_not_anomalous():
    callers = [f"client-{i}" for i in range(4)]
    edges = [(caller, "catalog") for caller in callers]
    signals = [signal(caller, 2.0) for caller in callers] + [signal("catalog", 6.0), signal("ads", 20.0)]
    causes = rank(signals, edges)
    assert names(causes)[:2] == ["ads", "catalog"]
    assert causes[1].contributions["blame"] == pytest.approx(causes[1].contributions["anomaly"])
    assert all(cause.contributions["blame"] == 0 for cause in causes if cause.component in callers)


def test_caller_more_anomalous_than_its_callees_keeps_its_blame():
    edges = [("frontend", "cart"), ("frontend", "ads")]
    causes = rank([signal("frontend", 20.0), signal("cart", 8.0), signal("ads", 6.0)], edges)
    assert names(causes)[0] == "frontend"
    assert causes[0].contributions["blame"] == pytest.approx(causes[0].contributions["anomaly"])


def test_shared_database_behind_two_failing_services_ranks_first():
    edges = [("web", "orders"), ("web", "users"), ("orders", "db"), ("users", "db"), ("web", "cache")]
    signals = [
        signal("web", 6.0),
        signal("orders", 6.0),
        signal("users", 6.0),
        signal("db", 9.0),
        signal("cache", 0.5),
        signal("batch", 11.0),
    ]
    causes = rank(signals, edges)
    assert names(causes)[:2] == ["db", "batch"]
    assert causes[0].contributions["anomaly"] < causes[1].contributions["anomaly"]
    assert "2 anomalous caller(s)" in causes[0].reason
    assert "dependencies are healthy" in causes[0].reason or "no known dependencies" in causes[0].reason


def test_bad_rollout_preceding_errors_wins_on_earlier_onset():
    signals = [
        signal("checkout", 6.0, minute=3, domains=("metrics", "logs")),
        signal("payments", 6.0, minute=0, domains=("metrics", "kubernetes")),
    ]
    causes = rank(signals, [])
    assert names(causes) == ["payments", "checkout"]
    assert causes[0].contributions["precedence"] > causes[1].contributions["precedence"]


def test_exact_ties_break_by_name_and_give_equal_scores():
    signals = [signal("bravo", 4.0), signal("alpha", 4.0), signal("charlie", 4.0)]
    first = rank(signals, [])
    again = rank(list(reversed(signals)), [])
    assert names(first) == ["alpha", "bravo", "charlie"] == names(again)
    assert first[0].score == first[1].score
    assert first[0].confidence == pytest.approx(0.25)  # h = 0.5 at the incident's median, halved by the tie


def test_tie_on_score_prefers_stronger_raw_anomaly_then_earlier_onset():
    same_h = [signal("late", 4.0, minute=2), signal("early", 4.0, minute=1)]
    assert names(rank(same_h, [], k=2)) == ["early", "late"]


def test_component_without_edges_is_ranked_on_its_own_anomaly():
    edges = [("api", "db")]
    signals = [signal("api", 2.0), signal("db", 1.0), signal("batch-job", 20.0)]
    causes = rank(signals, edges)
    assert names(causes)[0] == "batch-job"
    assert "no known dependencies" in causes[0].reason


def test_healthy_graph_nodes_rank_last_with_zero_confidence():
    causes = rank([signal("api", 6.0)], [("api", "db"), ("lb", "api")], k=5)
    assert names(causes)[0] == "api"
    assert {c.component for c in causes[1:]} == {"db", "lb"}
    assert all(c.confidence == 0 and c.score == 0 for c in causes[1:])


def test_confidence_follows_margin_and_never_rises_down_the_list():
    clear = rank([signal("a", 30.0), signal("b", 0.5), signal("c", 0.4)], [])
    close = rank([signal("a", 30.0), signal("b", 29.0)], [])
    assert clear[0].confidence > close[0].confidence
    for ranking in (clear, close):
        confidences = [c.confidence for c in ranking]
        assert confidences == sorted(confidences, reverse=True)
        assert all(0.0 <= c <= 1.0 for c in confidences)


def test_k_limits_the_list_and_duplicates_merge():
    signals = [signal("a", 3.0, domains=("metrics",)), signal("a", 5.0, minute=2, domains=("logs",))]
    causes = rank(signals + [signal("b", 1.0), signal("c", 2.0)], [], k=2)
    assert len(causes) == 2
    assert causes[0].component == "a"
    assert "logs, metrics" in causes[0].reason


def test_cycles_settle():
    edges = [("a", "b"), ("b", "a"), ("b", "c")]
    causes = rank([signal("a", 5.0), signal("b", 5.0), signal("c", 8.0)], edges)
    assert names(causes)[0] == "c"
    total_blame = sum(c.contributions["blame"] for c in causes)
    assert total_blame == pytest.approx(sum(c.contributions["anomaly"] for c in causes), rel=1e-5)


def test_series_anomaly_is_scale_free_and_zero_without_change():
    baseline = [10.0, 11.0, 9.0, 10.5, 9.5]
    window = [29.0, 30.0, 31.0]
    scaled = series_anomaly([v * 1000 for v in baseline], [v * 1000 for v in window])
    assert series_anomaly(baseline, window) == pytest.approx(scaled)
    assert series_anomaly(baseline, window) > 5
    assert series_anomaly(baseline, baseline) < 2


def test_series_anomaly_median_ignores_a_single_blip_that_max_reports():
    baseline = [10.0, 11.0, 9.0, 10.5, 9.5]
    blip = [10.0, 30.0, 10.0]
    assert series_anomaly(baseline, blip) < 1
    assert series_anomaly(baseline, blip, statistic="max") > 5
    with pytest.raises(ValueError):
        series_anomaly(baseline, blip, statistic="mean")
    assert series_anomaly([], [1.0]) == 0.0
    assert series_anomaly([1.0], []) == 0.0


def test_series_anomaly_handles_flat_baseline():
    assert series_anomaly([0.0, 0.0, 0.0], [0.0, 0.0]) == 0.0
    assert series_anomaly([100.0] * 5, [100.0, 100.5]) < 1
    assert series_anomaly([100.0] * 5, [100.0, 160.0]) > 10


def test_series_onset_finds_first_anomalous_point_after_baseline():
    times = [T0 + timedelta(minutes=i) for i in range(8)]
    values = [5.0, 5.2, 4.9, 5.1, 5.0, 5.1, 9.0, 9.5]
    assert series_onset(times, values, times[4]) == times[6]
    assert series_onset(times, [5.0, 5.2, 4.9, 5.1, 5.0, 5.1, 5.0, 5.2], times[4]) is None
    assert series_onset(times, values, T0) is None


def test_naive_and_aware_onsets_mix_and_edge_order_does_not_matter():

    aware = ComponentSignal("api", 6.0, T0.replace(tzinfo=UTC) + timedelta(minutes=5))
    naive = ComponentSignal("db", 6.0, T0)
    edges = [("api", "db"), ("lb", "api"), ("lb", "db")]
    first = rank([aware, naive], edges)
    again = rank([naive, aware], list(reversed(edges)))
    assert names(first)[0] == "db"
    assert [(c.component, c.score) for c in first] == [(c.component, c.score) for c in again]
