"""Waiting callers: a component whose calls got slower points, as a group, at the dependency that fits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from functions.correlate.ranking import CallLatency, ComponentSignal, rank

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
SHOP = [
    ("frontend", "checkout"), ("frontend", "catalog"), ("frontend", "cart"),
    ("checkout", "cart"), ("checkout", "catalog"), ("checkout", "payments"),
]


def signal(component: str, anomaly: float = 0.0, waiting: float = 0.0) -> ComponentSignal:
    return ComponentSignal(component, anomaly, T0, frozenset({"metrics"}), waiting=waiting)


def names(signals: list[ComponentSignal]) -> list[str]:
    return [cause.component for cause in rank(signals, SHOP, k=6)]


def quiet_shop(**changes: ComponentSignal) -> list[ComponentSignal]:
    shop = {name: signal(name, 0.5) for name in ("frontend", "checkout", "catalog", "cart", "payments")}
    return list((shop | changes).values())


def test_a_quiet_dependency_only_the_waiting_caller_uses_ranks_first():
    signals = quiet_shop(checkout=signal("checkout", 8.0, waiting=40.0))
    ranked = rank(signals, SHOP, k=3)
    assert ranked[0].component == "payments"
    assert ranked[0].contributions["anomaly"] < 0.5 and ranked[0].confidence > 0
    assert "checkout wait longer" in ranked[0].reason
    assert ranked[1].component == "checkout"


def test_without_the_wait_the_slow_caller_is_the_cause():
    assert names(quiet_shop(checkout=signal("checkout", 8.0)))[0] == "checkout"


def test_a_dependency_shared_with_a_caller_that_does_not_wait_is_unlikely():
    ranked = names(quiet_shop(checkout=signal("checkout", 8.0, waiting=40.0)))
    assert ranked.index("payments") < ranked.index("cart")
    assert ranked.index("payments") < ranked.index("catalog")


def test_when_every_caller_waits_their_shared_dependencies_fit():
    signals = quiet_shop(checkout=signal("checkout", 8.0, waiting=40.0), frontend=signal("frontend", 8.0, waiting=40.0))
    ranked = names(signals)
    assert set(ranked[:2]) == {"cart", "catalog"}


def test_a_wait_no_dependency_fits_is_judged_on_the_caller_s_own_anomaly():
    edges = [("frontend", "catalog"), ("search", "catalog")]
    calm = [signal("search", 0.5), signal("catalog", 0.5)]
    waiting = rank([signal("frontend", 8.0, waiting=40.0), *calm], edges, k=3)
    not_waiting = rank([signal("frontend", 8.0), *calm], edges, k=3)
    assert [(c.component, c.contributions) for c in waiting] == [(c.component, c.contributions) for c in not_waiting]
    assert waiting[0].component == "frontend"


def test_a_wait_below_three_sigma_moves_nothing():
    calm = rank(quiet_shop(checkout=signal("checkout", 8.0)), SHOP, k=6)
    slight = rank(quiet_shop(checkout=signal("checkout", 8.0, waiting=2.0)), SHOP, k=6)
    assert [(c.component, c.score) for c in calm] == [(c.component, c.score) for c in slight]


def test_a_caller_whose_dependencies_fit_poorly_hands_on_little():
    edges = [("frontend", "catalog"), ("reco", "catalog"), ("checkout", "payments")]
    signals = [signal("checkout", 0.5, waiting=40.0), signal("reco", 0.5, waiting=4.0),
               signal("frontend", 0.5, waiting=1.0), signal("catalog", 0.5), signal("payments", 0.5)]
    ranked = {cause.component: cause for cause in rank(signals, edges, k=5)}
    assert next(iter(ranked)) == "payments"
    assert ranked["catalog"].contributions["blame"] < 0.1 * ranked["payments"].contributions["blame"]


def test_a_calm_caller_hands_on_all_of_the_wait_its_dependencies_explain():
    ranked = {c.component: c for c in rank(quiet_shop(checkout=signal("checkout", 0.5, waiting=40.0)), SHOP, k=5)}
    assert ranked["checkout"].contributions["blame"] == pytest.approx(0.0, abs=1e-9)
    assert ranked["payments"].contributions["blame"] > 0.9


def measured(component: str, *quantiles: CallLatency) -> ComponentSignal:
    """A component whose outgoing-call latency quantiles are known (its wait is the largest rise among them)."""
    return ComponentSignal(component, 0.5, T0, frozenset({"metrics"}), call_latency=quantiles)


CHECKOUT_DELAYED = CallLatency(baseline=0.10, spread=0.01, level=0.49)  # its calls got 0.39 s slower


def test_a_busy_caller_whose_tail_hides_the_delay_does_not_clear_the_dependency_it_shares():
    frontend_tail = CallLatency(baseline=0.32, spread=0.09, level=0.45)  # already slower than the delay, barely moves
    signals = quiet_shop(checkout=measured("checkout", CHECKOUT_DELAYED), frontend=measured("frontend", frontend_tail))
    ranked = names(signals)
    assert ranked.index("cart") < ranked.index("payments")
    assert ranked.index("catalog") < ranked.index("payments")


def test_the_same_small_wait_counts_against_a_shared_dependency_when_no_quantile_is_known():
    signals = quiet_shop(checkout=signal("checkout", 0.5, waiting=CHECKOUT_DELAYED.z()), frontend=signal("frontend", 0.5, waiting=1.44))
    ranked = names(signals)
    assert ranked.index("payments") < ranked.index("cart")


def test_a_caller_whose_tail_sits_below_the_delay_must_show_it():
    frontend_fast = CallLatency(baseline=0.05, spread=0.01, level=0.05)  # a 0.39 s delay would stand out; it is calm
    signals = quiet_shop(checkout=measured("checkout", CHECKOUT_DELAYED), frontend=measured("frontend", frontend_fast))
    ranked = names(signals)
    assert ranked[0] == "payments"
    assert ranked.index("payments") < ranked.index("cart")


def test_the_best_matching_quantile_counts():
    p90_calm = CallLatency(baseline=0.05, spread=0.01, level=0.05)  # the dependency's share of calls is below 10 %
    p99_lifted = CallLatency(baseline=0.20, spread=0.02, level=0.40)  # but above 1 %: p99 rises to the delay
    signals = quiet_shop(checkout=measured("checkout", CHECKOUT_DELAYED), frontend=measured("frontend", p90_calm, p99_lifted))
    ranked = names(signals)
    assert ranked.index("cart") < ranked.index("payments")
