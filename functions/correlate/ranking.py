"""Root-cause ranking over a dependency graph (pure: no I/O, standard library only).

Each component arrives as a :class:`ComponentSignal` (how anomalous it is, when it started, which
evidence domains flagged it). Ranking then works in three steps:

1. **Anomaly mass.** A component's strength ``a`` (robust z, scale-free) is squashed to
   ``h = a / (a + half)`` in [0, 1). ``half`` is the three-sigma threshold, raised to the median
   anomaly over every component in the graph (one with no signal counts as 0) when most components
   moved, so blame goes to the outliers and one huge value cannot drown everything else.
2. **Blame propagation downstream.** Each anomalous component (``h`` at least one half) starts with ``h``
   units of blame; one that is not anomalous has nothing to explain and starts with none, otherwise a
   dependency shared by many healthy callers would collect their small shares and outrank the root. A callee
   explains its caller only to the extent that it is *more* anomalous than the caller (nothing at
   equal strength, everything at twice), so the root is a local peak of anomaly along the
   dependency direction. A callee the caller's own evidence names as failing (``blames``: refused or
   timed-out calls to it) explains it fully once the callee is anomalous itself (past the three-sigma
   threshold), whatever the magnitudes. A callee whose onset is later than the caller's explains half as much. A
   caller keeps ``1 - max explained`` of its blame and hands the rest to the explaining callees in
   proportion. Passing repeats until the blame settles (an absorbing walk, so cycles are fine). A
   shared dependency behind several failing callers collects their blame; a caller whose
   dependencies are healthy keeps its own.

   **Waiting callers.** A component whose calls to its dependencies got slower (``waiting``: known only in
   aggregate, e.g. a pod's client-side latency, so no single dependency is named) may be waiting on a
   dependency that looks healthy, as with a delay on the network path to it. Each dependency is a suspect by
   how well it, if it were slow, accounts for the pattern of waiting: every caller of it waits, and every
   other component that makes calls does not (the product of the callers' wait, squashed at the three-sigma
   point, and the others' calm). When a caller's latency quantiles are known (``call_latency``), it is only
   expected to show the delay where it can: a delay of ``d`` seconds (the largest rise among the suspect's
   callers) lifts a quantile sitting below ``d`` up to it and hides under one already above it, so a busy
   caller whose tail is already slow is not held against a dependency it calls rarely. A waiting caller
   hands on the part of its wait that its own dependencies account for (their share of all the suspicion),
   split among them by suspicion; that part counts as blame it starts with even when its own metrics are calm.
   A dependency shared with a caller that does not wait is unlikely; one that no calm caller uses is likely. A
   wait no dependency fits moves nothing: the caller is judged on its own anomaly alone. Such a suspect can
   rank with no anomaly of its own; its reason names the waiting callers.
3. **Bonuses** scaled by ``h``: temporal precedence (share of other anomalous components whose onset
   is later) and corroboration (share of the evidence domains seen in this incident that flagged the
   component, blended with the finding severity).

**Context.** A component whose findings all began long before the symptom and none at it (``context``, see
:mod:`functions.correlate.symptom_time`) ranks after every component that changed at the symptom, is not their
rival for confidence, takes no blame from a caller that changed at the symptom (that caller was fine beside it
before), and counts for nobody's precedence.

Edges are deduplicated and visited in sorted order, so the result does not depend on input order.
Ties are broken deterministically by, in order: higher score, higher raw anomaly, earlier onset
(unknown onsets last), then component name in ascending order.

Each cause also names the anomalous upstream components it ``explains``: those that hand at least half
of their blame to it, so their symptoms count as its evidence.

The steps live in their own modules: :mod:`~functions.correlate.signals` (merging), :mod:`~functions.correlate.call_graph`,
:mod:`~functions.correlate.strength` (anomaly mass), :mod:`~functions.correlate.waiting`,
:mod:`~functions.correlate.scoring` (blame, bonuses, order), :mod:`~functions.correlate.confidence` and
:mod:`~functions.correlate.reasons`.

Confidence comes from the margin over the runner-up: ``h * score / (score + runner_up_score)``, so
a lone clear winner approaches its own ``h`` and a tie gives half of it; lower ranks never get more
confidence than the rank above them.
"""

from __future__ import annotations

from collections.abc import Iterable

from functions.correlate.anomaly import series_anomaly, series_onset
from functions.correlate.blame import CallLatency, explained_callers
from functions.correlate.call_graph import call_graph
from functions.correlate.confidence import confidences
from functions.correlate.reasons import reason
from functions.correlate.scoring import ordered, scored, settled_blame
from functions.correlate.signals import ComponentSignal, RankedCause, merge_signals
from functions.correlate.strength import anomaly_mass
from functions.correlate.waiting import waits

__all__ = ["CallLatency", "ComponentSignal", "RankedCause", "rank", "series_anomaly", "series_onset"]


def rank(
    signals: Iterable[ComponentSignal], edges: Iterable[tuple[str, str]], k: int = 5
) -> list[RankedCause]:
    """Top-``k`` probable root causes; ``edges`` are (caller, callee): the caller depends on the callee."""
    by_component = merge_signals(signals)
    graph = call_graph(by_component, edges)
    if not graph.nodes or k <= 0:
        return []
    h = anomaly_mass(by_component, graph.nodes)
    onset = {n: by_component[n].onset if n in by_component else None for n in graph.nodes}
    waited = waits(by_component, graph)
    blame = settled_blame(graph, by_component, h, onset, waited)
    rows = ordered(scored(graph.nodes, by_component, h, onset, blame))
    top = rows[: min(k, len(rows))]
    results = []
    for row, confidence in zip(top, confidences(rows, len(top), h), strict=True):
        waiting_callers = waited.callers_waiting_on(row.node, graph) if blame.settled[row.node] > 0 else []
        results.append(RankedCause(
            component=row.node,
            score=round(row.score, 6),
            confidence=round(confidence, 6),
            reason=reason(row.node, row.signal, h, onset, graph, waiting_callers),
            contributions={name: round(value, 6) for name, value in row.contributions.items()},
            evidence_ids=row.signal.evidence_ids if row.signal else (),
            explains=explained_callers(row.node, graph.callers, h, blame.keep, blame.passes) if h[row.node] > 0 else (),
        ))
    return results
