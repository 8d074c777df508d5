"""One baseline policy: each domain's baseline ends where the window starts, as today's figures say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from functions._platform.analyzers.baseline import BASELINES, baseline_before
from functions._platform.analyzers.contract import AnalysisContext
from sreo_events.models import TimeWindow

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def window(minutes: float) -> TimeWindow:
    return TimeWindow(start=START, end=START + timedelta(minutes=minutes))


@pytest.mark.parametrize(("domain", "minutes", "baseline_minutes"), [
    ("kubernetes", 30, 30), ("kubernetes", 5, 15),  # 1x the window, at least 15 min
    ("database", 30, 120), ("database", 10, 60),  # 4x, at least 1 h
    ("logs", 10, 60), ("logs", 0.5, 6), ("auth", 10, 60),  # 6x a window of at least 1 min
    ("metrics", 60, 120), ("metrics", 10, 60), ("metrics", 45, 90),  # 2x a window of at least 30 min, at least 1 h
])
def test_each_domain_keeps_its_multiple(domain: str, minutes: float, baseline_minutes: float) -> None:
    baseline = baseline_before(domain, window(minutes))
    assert baseline.end == START
    assert START - baseline.start == timedelta(minutes=baseline_minutes)


def test_every_domain_with_analyzers_has_a_policy() -> None:
    from functions._platform.analyzers.registry import ANALYZERS

    assert set(ANALYZERS) <= set(BASELINES)


def test_the_context_takes_its_baseline_from_the_policy_and_reads_naive_times_as_utc() -> None:
    naive = TimeWindow(start=datetime(2026, 3, 1, 12, 0), end=datetime(2026, 3, 1, 12, 20))
    context = AnalysisContext.around("kubernetes", naive, namespace="shop", focus={"cart"})
    assert context.window.start == START and context.baseline == baseline_before("kubernetes", context.window)
    assert context.namespace == "shop" and context.focus == frozenset({"cart"})
