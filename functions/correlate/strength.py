"""Anomaly mass: each component's raw anomaly squashed into [0, 1) against this incident's half point."""

from __future__ import annotations

from statistics import median

from functions.correlate.blame import ANOMALY_HALF_POINT
from functions.correlate.signals import ComponentSignal


def squash(anomaly: float, half_point: float) -> float:
    strength = max(0.0, float(anomaly))
    return strength / (strength + half_point)


def half_point(anomalies: list[float]) -> float:
    """The anomaly that counts as "half anomalous": the three-sigma threshold, raised to the graph's typical
    (median) component anomaly, silent components counting as 0, when most components moved."""
    if not anomalies:
        return ANOMALY_HALF_POINT
    return max(ANOMALY_HALF_POINT, median(max(0.0, a) for a in anomalies))


def anomaly_mass(by_component: dict[str, ComponentSignal], nodes: list[str]) -> dict[str, float]:
    """``h`` per node; a node with no signal has none."""
    middle = half_point([by_component[n].anomaly if n in by_component else 0.0 for n in nodes])
    return {n: squash(by_component[n].anomaly, middle) if n in by_component else 0.0 for n in nodes}
