"""Confidence from the spread over the runner-up (see :mod:`functions.correlate.ranking`)."""

from __future__ import annotations

from functions.correlate.blame import ANOMALOUS
from functions.correlate.scoring import Scored, is_context


def _rival(rows: list[Scored], position: int) -> float:
    """The score a rank is measured against: for the winner, the runner-up's among the components like it (context
    does not compete with a component that changed at the symptom); the winner's for everyone else."""
    if position:
        return rows[0].score
    alike = [row for row in rows[1:] if is_context(row.signal) == is_context(rows[0].signal)]
    return alike[0].score if alike else 0.0


def confidences(rows: list[Scored], count: int, h: dict[str, float]) -> list[float]:
    """For the first ``count`` of the ordered ``rows``: ``support * score / (score + rival)``, where support is the
    component's own anomaly (or, for a suspect that is not anomalous itself, the blame it collected); no rank gets
    more confidence than the rank above it."""
    results: list[float] = []
    ceiling = 1.0
    for position, row in enumerate(rows[:count]):
        rival = _rival(rows, position)
        share = row.score / (row.score + rival) if row.score + rival > 0 else 0.0
        support = h[row.node] if h[row.node] >= ANOMALOUS else max(h[row.node], min(1.0, row.contributions["blame"]))
        ceiling = min(ceiling, support * share)
        results.append(ceiling)
    return results
