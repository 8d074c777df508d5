"""Where a degradation starts: the change point, not the first call that happens to qualify."""

from __future__ import annotations

import random

from functions._platform.domains.traces.analyzers.change import TracesScope, failure_shift, latency_shift

EVERY_S = 10.0
CHANGE = 72  # the call at minute 12 of a 20-minute window, a call every 10 s
CALLS = 120


def at(index: int) -> float:
    return 1_000_000 + index * EVERY_S


CALM = [(at(i - 50), 0.05) for i in range(50)]  # the baseline: 50 calls before the window
FINE = [(at(i - 50), False) for i in range(50)]


def test_a_stray_slow_call_before_the_change_does_not_move_the_onset_back() -> None:
    window = [(at(i), 0.5 if i >= CHANGE or i == 48 else 0.05) for i in range(CALLS)]
    shift = latency_shift(CALM, window, TracesScope())
    assert shift is not None and shift.onset == at(CHANGE)
    assert shift.window == 0.5


def test_a_stray_failure_before_the_change_does_not_move_the_onset_back() -> None:
    window = [(at(i), i == 30 or (i >= CHANGE and i % 3 == 0)) for i in range(CALLS)]
    shift = failure_shift(FINE, window, TracesScope())
    assert shift is not None and shift.onset == at(CHANGE)
    assert abs(shift.window - 1 / 3) < 0.01


def test_the_onset_does_not_depend_on_the_order_calls_arrive_in() -> None:
    window = [(at(i), 0.3 if i >= CHANGE else 0.05 + 0.005 * (i % 4)) for i in range(CALLS)]
    shuffled = window[:]
    random.Random(4).shuffle(shuffled)
    assert latency_shift(CALM, shuffled, TracesScope()) == latency_shift(CALM, window, TracesScope())
    assert latency_shift(CALM, window, TracesScope()).onset == at(CHANGE)


def test_a_calm_series_has_no_onset() -> None:
    window = [(at(i), 0.05 + 0.5 * (i % 25 == 0)) for i in range(CALLS)]
    assert latency_shift(CALM, window, TracesScope()).onset is None
    failures = failure_shift(FINE, [(at(i), i % 40 == 0) for i in range(CALLS)], TracesScope())
    assert failures.onset is None


def test_failures_already_under_way_before_the_window_are_dated_where_they_began() -> None:
    baseline = [(at(i - 300), i >= 200 and i % 4 == 0) for i in range(300)]  # its last third fails 1 in 4
    window = [(at(i), i % 4 == 0) for i in range(CALLS)]
    shift = failure_shift(baseline, window, TracesScope())
    assert shift is not None and shift.onset == at(200 - 300)
    assert shift.window == 0.25


def test_a_slowdown_under_way_before_the_window_is_dated_where_it_began() -> None:
    baseline = [(at(i - 300), 0.4 if i >= 240 else 0.05) for i in range(300)]
    shift = latency_shift(baseline, [(at(i), 0.4) for i in range(CALLS)], TracesScope())
    assert shift is not None and shift.onset == at(240 - 300)


def test_a_low_failure_share_under_way_since_the_baseline_is_dated_near_where_it_began() -> None:
    rng = random.Random(11)
    baseline = [(at(i - 600), i >= 450 and rng.random() < 0.1) for i in range(600)]
    window = [(at(i), rng.random() < 0.1) for i in range(CALLS)]
    shift = failure_shift(baseline, window, TracesScope())
    assert shift is not None and shift.onset is not None
    assert abs(shift.onset - at(450 - 600)) <= 30 * EVERY_S  # within 30 calls of the start, 150 calls before
