"""Every declared finding kind: the registered analyzers' and those emitted by code that is not an analyzer."""

from __future__ import annotations

from functions._platform.analyzers.kinds import FindingKind
from functions._platform.analyzers.registry import ANALYZERS

KINDS: tuple[FindingKind, ...] = tuple(
    kind for domain in ANALYZERS.values() for analyzer in domain for kind in getattr(analyzer, "kinds", ()))
