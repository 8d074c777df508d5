"""Every declared finding kind: the registered analyzers' and those emitted by code that is not an analyzer."""

from __future__ import annotations

from functions._platform.analyzers.correlate_kinds import FAILING_FOR_CALLERS, TOOK_SHARED_CONNECTIONS
from functions._platform.analyzers.kinds import FindingKind
from functions._platform.analyzers.registry import ANALYZERS
from functions._platform.domains.code.findings import CODE_KINDS
from functions._platform.domains.database.analyzers.snapshot import DIAGNOSTICS_UNAVAILABLE
from functions._platform.domains.metrics.analyzers.dependency_degraded import DEPENDENCY_DELAY

EMITTED_ELSEWHERE: tuple[FindingKind, ...] = (*CODE_KINDS, DIAGNOSTICS_UNAVAILABLE, DEPENDENCY_DELAY,
                                              FAILING_FOR_CALLERS, TOOK_SHARED_CONNECTIONS)

KINDS: tuple[FindingKind, ...] = (
    *(kind for domain in ANALYZERS.values() for analyzer in domain for kind in analyzer.kinds),
    *EMITTED_ELSEWHERE,
)
