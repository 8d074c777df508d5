"""Causes connected to the affected component rank before unhealthy bystanders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions.correlate.connected import connected_first
from sreo_events.models import Cause, Finding, TimeWindow

T0 = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)
WINDOW = TimeWindow(start=T0, end=T0 + timedelta(minutes=30))


def _cause(component: str, confidence: float, **evidence) -> Cause:
    finding = Finding(kind="k", subject=component, severity="critical", score=0.9, summary=component, window=WINDOW,
                      evidence=evidence, query="q")
    return Cause(component=component, kind="k", score=confidence, confidence=confidence, reason="r",
                 evidence=[finding])


def test_a_bystander_ranks_after_the_affected_component_and_its_dependencies():
    causes = [_cause("reports-db", 0.6), _cause("payments", 0.3), _cause("checkout", 0.2, target={"payments:8080": 3})]
    ordered = connected_first(causes, "checkout", edges=[("frontend", "checkout")])
    assert [c.component for c in ordered] == ["payments", "checkout", "reports-db"]
    assert "bystander" in ordered[-1].reason
    assert [c.confidence for c in ordered] == sorted((c.confidence for c in ordered), reverse=True)


def test_the_node_a_workload_runs_on_is_connected_to_it():
    causes = [_cause("node/ip-10-0-1-44", 0.5, workloads_on_node=["cart", "search"]), _cause("orders", 0.4)]
    assert [c.component for c in connected_first(causes, "cart", [])] == ["node/ip-10-0-1-44", "orders"]


def test_nothing_moves_without_an_affected_component_or_anything_connected():
    causes = [_cause("reports-db", 0.6), _cause("payments", 0.3)]
    assert connected_first(causes, None, []) == causes
    assert connected_first(causes, "ghost", []) == causes


def test_without_any_graph_no_one_is_a_bystander():
    """A metrics-only incident (no tracing, no declared topology): the alerted front end is where the symptom shows,
    not known to be the only connected component, so a dependency that changed more keeps its place above it."""
    causes = [_cause("cartservice", 0.7), _cause("frontend", 0.2)]
    assert connected_first(causes, "frontend", []) == causes
    assert [c.component for c in connected_first(causes, "frontend", [("frontend", "adservice")])] == [
        "frontend", "cartservice"]
