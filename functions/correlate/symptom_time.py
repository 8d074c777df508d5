"""Onset relative to the symptom's own onset: a finding that began long before the symptom is context, not cause.

A fault makes its symptom start: the alert fires once the fault has lasted the rule's pending period (``for:``),
and a question is asked soon after it is noticed. A finding that began longer before the symptom than any such
lag was already there while everything was still fine, so on its own it does not say why the trouble started
now. A component whose every finding is that old did not change at the symptom: it is context, listed after the
components that did. A component that also has findings starting at the symptom is judged on those; its old ones
stay in its evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from sreo_events.models import Finding

# The longest pending period (`for:`) of the standard Kubernetes alerts (kubernetes-mixin: KubeContainerWaiting and
# the warning KubePersistentVolumeFillingUp wait 1h; most wait 15m). A fault that began earlier than this before
# the symptom had already been there for longer than any alert waits before it fires.
CONTEXT_LEAD = timedelta(hours=1)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def symptom_reference(findings: Iterable[Finding], symptom_onset: datetime | None) -> datetime | None:
    """When the symptom began: the alert's start (or the reported start) when known, else the start of the
    incident window the findings cover, which opens shortly before the symptom (so a finding older than the lead
    from there is older still from the symptom)."""
    if symptom_onset is not None:
        return _utc(symptom_onset)
    starts = [_utc(f.window.start) for f in findings if f.window is not None]
    return min(starts) if starts else None


def began_long_before(finding: Finding, reference: datetime | None) -> bool:
    """The finding's own onset lies more than the longest alert lag before the symptom (no onset: not known)."""
    return reference is not None and finding.onset is not None and _utc(finding.onset) < reference - CONTEXT_LEAD


def judged_findings(items: list[tuple[str, Finding]], reference: datetime | None,
                    moved: Callable[[Finding], bool]) -> tuple[list[tuple[str, Finding]], bool]:
    """The (domain, finding) pairs a component is judged on, and whether it is context. ``moved``: the finding
    reports a change (one that reports none says nothing about when)."""
    old = [item for item in items if moved(item[1]) and began_long_before(item[1], reference)]
    if not old:
        return items, False
    rest = [item for item in items if item not in old]
    if any(moved(finding) for _, finding in rest):
        return rest, False
    return items, True
