"""What a finding kind means downstream: its remediation actions, its scan mitigation, the alerts whose runbooks
handle it, and whether it is a change. Each kind is declared next to the code that emits it; the lookups here
read the catalogue of every declared kind (see catalogue.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from sreo_events.models import Domain as EvidenceDomain

Risk = Literal["low", "medium", "high"]
Domain = Literal[EvidenceDomain, "correlate"]


@dataclass(frozen=True)
class Rule:
    """One remediation action. Templates read `{subject}`, `{namespace}` and values from the finding's evidence
    (see functions/report/actions.py)."""

    key: str  # stable part of the action id
    title: str
    command: str | None
    risk: Risk
    requires_approval: bool = False
    id_values: tuple[str, ...] = ()  # template values that tell two actions of one rule apart
    first: bool = False  # the usual first mitigation (undo the change), listed before diagnostics
    needs: tuple[str, ...] = ()  # evidence values without which the action says nothing: skipped when missing


def action(key: str, title: str, command: str | None, risk: Risk, approval: bool = False, *ids: str) -> Rule:
    return Rule(key, title, command, risk, approval, ids)


def action_per(needs: str, key: str, title: str, command: str | None, risk: Risk, approval: bool = False) -> Rule:
    """An action for one evidence value (the peer, the claim, the Job): one per value, none without it."""
    return Rule(key, title, command, risk, approval, (needs,), needs=(needs,))


# The deliberate fallback: kinds whose evidence says where to look, not what to do, and kinds nobody declared.
GENERIC: tuple[Rule, ...] = (action("investigate", "Investigate {subject}: start from the evidence above", None, "low"),)
DEFAULT_MITIGATION = ("Investigate the evidence and the latest changes to the subject.",
                      "Unknown; the signal is anomalous.")


@dataclass(frozen=True)
class FindingKind:
    name: str
    domain: Domain
    actions: tuple[Rule, ...]  # GENERIC when the evidence says where to look, not what to do
    mitigation: tuple[str, str] | None = None  # (what a responder should do, what happens if nobody does)
    runbook_alerts: tuple[str, ...] = ()  # alert names whose runbooks handle this kind
    is_change: bool = False  # a change says "when"; listed right after a cause's headline finding


@cache
def declared() -> dict[str, FindingKind]:
    from functions._platform.analyzers.catalogue import KINDS

    catalogue: dict[str, FindingKind] = {}
    for kind in KINDS:
        if kind.name in catalogue and catalogue[kind.name] != kind:
            raise ValueError(f"finding kind {kind.name!r} is declared twice, differently")
        catalogue[kind.name] = kind
    return catalogue


def lookup(kind: str) -> FindingKind | None:
    return declared().get(kind)


def actions_for(kind: str) -> tuple[Rule, ...]:
    found = lookup(kind)
    return found.actions if found and found.actions else GENERIC


def mitigation_for(kind: str) -> tuple[str, str]:
    found = lookup(kind)
    return found.mitigation if found and found.mitigation else DEFAULT_MITIGATION


def runbook_alerts_for(kind: str) -> tuple[str, ...]:
    found = lookup(kind)
    return found.runbook_alerts if found else ()


def is_change(kind: str) -> bool:
    found = lookup(kind)
    return bool(found and found.is_change)


# Evidence flag: what the finding reports had stopped before the incident window began (a log class with no line
# since). It stays in the evidence, but it reports no change now, so it does not date its component.
ENDED_KEY = "ended_before_window"
