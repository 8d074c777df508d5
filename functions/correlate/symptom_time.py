"""Onset relative to the symptom's own onset: a finding that began long before the symptom is context, not cause.

A fault makes its symptom start: the alert fires once the fault has lasted the rule's pending period (``for:``),
and a question is asked soon after it is noticed. A finding that began longer before the symptom than any such
lag was already there while everything was still fine, so on its own it does not say why the trouble started
now. A component whose every finding is that old did not change at the symptom: it is context, listed after the
components that did. A component that also has findings starting at the symptom is judged on those; its old ones
stay in its evidence.

When the alerted component's own findings show its degradation begin, inside their window and from calm, that
onset is the symptom's, and the alert's pending period no longer stands between them. A cause starts right before
its callers degrade, so a finding that began more than a propagation lag before that onset was already there while
the alerted component was still calm: it does not say why it degraded then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sreo_events.models import Finding

# The longest pending period (`for:`) of the standard Kubernetes alerts (kubernetes-mixin: KubeContainerWaiting and
# the warning KubePersistentVolumeFillingUp wait 1h; most wait 15m). A fault that began earlier than this before
# the symptom had already been there for longer than any alert waits before it fires.
CONTEXT_LEAD = timedelta(hours=1)
# How far a cause's onset may precede its caller's: the failure reaches the caller in the same requests, and an
# onset is dated to the resolution of the signal that shows it, at worst the 5-minute rate window of the usual
# alerting and recording rules (`rate(...[5m])`).
PROPAGATION_LAG = timedelta(minutes=5)


@dataclass(frozen=True)
class SymptomTime:
    """When the symptom began, and how long before it a cause may have begun. ``dated_by``: the alerted component
    whose own onset dates it; that component's findings are the symptom itself, so they are held to the alert's
    start (``alert``) with the alert's lead."""

    at: datetime
    lead: timedelta = CONTEXT_LEAD
    dated_by: str | None = None
    alert: datetime | None = None

    def earliest_cause(self, subject: str) -> datetime:
        if subject == self.dated_by and self.alert is not None:
            return self.alert - CONTEXT_LEAD
        return self.at - self.lead


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _seen_begin(finding: Finding) -> datetime | None:
    """The finding's onset when its window shows the change begin from calm: later than the window's first
    propagation lag (an onset at the window's start says only that it was already under way)."""
    if finding.onset is None or finding.window is None:
        return None
    onset = _utc(finding.onset)
    return onset if onset > _utc(finding.window.start) + PROPAGATION_LAG else None


def _alerted_change(alerted: Iterable[Finding], alert_start: datetime,
                    moved: Callable[[Finding], bool]) -> datetime | None:
    """When the alerted component's degradation began: its first change seen to begin from calm before its alert
    fired, within the alert's longest lag."""
    onsets = [onset for f in alerted if moved(f) and (onset := _seen_begin(f)) is not None]
    return min((o for o in onsets if alert_start - CONTEXT_LEAD <= o <= alert_start), default=None)


def symptom_reference(findings: Iterable[Finding], symptom_onset: datetime | None, affected: str | None = None,
                      moved: Callable[[Finding], bool] = lambda _: True) -> SymptomTime | None:
    """When the symptom began: the alerted component's (``affected``) own onset before the alert (``moved``: the
    finding reports a change), else the alert's start (or the reported start), else the start of the incident
    window the findings cover, which opens shortly before the symptom (so a finding older than the lead from there
    is older still from the symptom)."""
    findings = list(findings)
    if symptom_onset is not None:
        alert = _utc(symptom_onset)
        change = _alerted_change((f for f in findings if f.subject == affected), alert, moved)
        return SymptomTime(change, PROPAGATION_LAG, affected, alert) if change is not None else SymptomTime(alert)
    starts = [_utc(f.window.start) for f in findings if f.window is not None]
    return SymptomTime(min(starts)) if starts else None


def began_long_before(finding: Finding, reference: SymptomTime | None) -> bool:
    """The finding's own onset lies more than the allowed lead before the symptom (no onset: not known)."""
    if reference is None or finding.onset is None:
        return False
    return _utc(finding.onset) < reference.earliest_cause(finding.subject)


def judged_findings(items: list[tuple[str, Finding]], reference: SymptomTime | None,
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
