"""Every evidence domain, in the order triage lists them. Adding a domain is one slice package and one line here
(plus its agent in `functions/agents/registry.py` and its kustomize Service and Trigger)."""

from __future__ import annotations

from functions._platform.domains.auth.slice import AUTH
from functions._platform.domains.code.slice import CODE
from functions._platform.domains.contract import DomainSlice
from functions._platform.domains.database.slice import DATABASE
from functions._platform.domains.kubernetes.slice import KUBERNETES
from functions._platform.domains.logs.slice import LOGS
from functions._platform.domains.metrics.slice import METRICS
from functions._platform.domains.traces.slice import TRACES

SLICES: dict[str, DomainSlice] = {
    domain.name: domain
    for domain in (
        KUBERNETES,
        DATABASE,
        AUTH,
        LOGS,
        METRICS,
        CODE,
        TRACES,
    )
}
