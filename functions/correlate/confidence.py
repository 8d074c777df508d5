"""Confidence from the spread over the runner-up (see :mod:`functions.correlate.ranking`)."""

from __future__ import annotations

from functions.correlate.blame import ANOMALOUS
from functions.correlate.scoring import Scored


def _rival(rows: list[Scored], position: int) -> float:
    """The score a rank is measured against: the runner-up's for the winner, the winner's for everyone else."""
    if position == 0:
        return rows[1].score if len(rows) > 1 else 0.0
    return rows[0].score


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
