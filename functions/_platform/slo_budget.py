"""Error-budget state of a service, read from the SLO metadata recording rules that `sreo slo generate` writes
(Sloth's `slo:period_error_budget_remaining:ratio` and `slo:current_burn_rate:ratio`, labelled `sloth_service`),
and a severity policy over it.

`budget_state` never raises: a missing Prometheus, a timeout, a bad answer or no SLO for the service all give
None, so triage keeps the severity it was given.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import httpx
from pydantic import BaseModel, Field

from functions._platform.config import Settings

BUDGET_REMAINING_METRIC = "slo:period_error_budget_remaining:ratio"
CURRENT_BURN_METRIC = "slo:current_burn_rate:ratio"
SERVICE_LABEL = "sloth_service"
SLO_LABEL = "sloth_slo"
DEFAULT_TIMEOUT_S = 2.0
SEVERITY_RANK = {"info": 0, "warning": 1, "critical": 2}


class SLOBudget(BaseModel):
    """One SLO of the service; a value is None when its series is absent or not a finite number (0/0 burn)."""

    slo: str
    remaining: float | None = Field(default=None, description="Error budget left this period; <= 0 is spent.")
    burn_rate: float | None = Field(default=None, description="Current (short-window) burn rate; 1 = on budget.")


class BudgetState(BaseModel):
    service: str
    slos: list[SLOBudget]

    @property
    def slo_names(self) -> list[str]:
        return [item.slo for item in self.slos]

    @property
    def remaining(self) -> float | None:
        """The least budget left over the service's SLOs."""
        values = [item.remaining for item in self.slos if item.remaining is not None]
        return min(values) if values else None

    @property
    def burn_rate(self) -> float | None:
        """The fastest current burn over the service's SLOs."""
        values = [item.burn_rate for item in self.slos if item.burn_rate is not None]
        return max(values) if values else None

    def worst(self, by: str) -> SLOBudget | None:
        present = [item for item in self.slos if getattr(item, by) is not None]
        if not present:
            return None
        return (min if by == "remaining" else max)(present, key=lambda item: getattr(item, by))


class BudgetPolicy(BaseModel):
    """Thresholds from the Google SRE workbook's multi-window burn-rate alerting (30-day budget)."""

    page_burn_rate: float = Field(default=14.4, description="2% of a 30d budget in 1h: page.")
    ticket_burn_rate: float = Field(default=6.0, description="5% of a 30d budget in 6h: at least a warning.")
    low_budget: float = Field(default=0.1, description="Below this share left, at least a warning.")


def _promql_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def budget_query(service: str) -> str:
    metrics = f"{BUDGET_REMAINING_METRIC}|{CURRENT_BURN_METRIC}"
    return f'{{__name__=~"{metrics}", {SERVICE_LABEL}={_promql_string(service)}}}'


def _finite(raw: Any) -> float | None:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _vector_result(answer: Any) -> list | None:
    """The samples of a successful instant-vector answer; None for anything else."""
    if not isinstance(answer, dict) or answer.get("status") != "success":
        return None
    data = answer.get("data") or {}
    if data.get("resultType") != "vector" or not isinstance(data.get("result"), list):
        return None
    return data["result"]


def _sample_number(sample: dict) -> float | None:
    value = sample.get("value") or [None, None]
    return _finite(value[1] if isinstance(value, list) and len(value) == 2 else None)


def _record(entry: SLOBudget, metric: Any, number: float | None) -> None:
    """Keep the worst reading per SLO: the least budget remaining, the fastest burn (None resets it)."""
    if metric == BUDGET_REMAINING_METRIC:
        entry.remaining = number if entry.remaining is None or number is None else min(entry.remaining, number)
    elif metric == CURRENT_BURN_METRIC:
        entry.burn_rate = number if entry.burn_rate is None or number is None else max(entry.burn_rate, number)


def parse_budget(service: str, answer: Any) -> BudgetState | None:
    """The state from a Prometheus `/api/v1/query` answer; None when it holds no SLO series."""
    result = _vector_result(answer)
    if result is None:
        return None
    slos: dict[str, SLOBudget] = {}
    for sample in result:
        if not isinstance(sample, dict):
            continue
        labels = sample.get("metric") or {}
        name = labels.get(SLO_LABEL) or labels.get("sloth_id") or "unnamed"
        entry = slos.setdefault(name, SLOBudget(slo=name))
        _record(entry, labels.get("__name__"), _sample_number(sample))
    if not slos:
        return None
    return BudgetState(service=service, slos=sorted(slos.values(), key=lambda item: item.slo))


@lru_cache(maxsize=1)
def _shared_client() -> httpx.Client:
    """One pooled client per process: building a client (its TLS context) costs more than the query itself."""
    return httpx.Client()


def budget_state(service: str | None, settings: Settings, timeout_s: float = DEFAULT_TIMEOUT_S,
                 client: httpx.Client | None = None) -> BudgetState | None:
    """The service's error-budget state from Prometheus, or None when it cannot be known."""
    if not service or not settings.prometheus_url:
        return None
    url = settings.prometheus_url.rstrip("/") + "/api/v1/query"
    try:
        response = (client or _shared_client()).get(url, params={"query": budget_query(service)}, timeout=timeout_s)
        if response.status_code != 200:
            return None
        return parse_budget(service, response.json())
    except (httpx.HTTPError, ValueError):
        return None


def _percent(ratio: float) -> str:
    return f"{ratio:.0%}"


def adjust_severity(severity: str, budget: BudgetState | None,
                    policy: BudgetPolicy | None = None) -> tuple[str, str]:
    """Escalate (never lower) a triage severity by the service's error budget; the reason says why."""
    policy = policy or BudgetPolicy()
    if budget is None:
        return severity, "no error-budget data; severity kept"
    rank = SEVERITY_RANK.get(severity, SEVERITY_RANK["warning"])
    spent, burning = budget.worst("remaining"), budget.worst("burn_rate")
    if spent is not None and spent.remaining is not None and spent.remaining <= 0:
        target, reason = "critical", (f"error budget of SLO {spent.slo} is exhausted "
                                      f"({_percent(spent.remaining)} left)")
    elif burning is not None and burning.burn_rate is not None and burning.burn_rate >= policy.page_burn_rate:
        target, reason = "critical", (f"SLO {burning.slo} burns its error budget at {burning.burn_rate:.1f}x "
                                      f"(>= {policy.page_burn_rate:g}x)")
    elif burning is not None and burning.burn_rate is not None and burning.burn_rate >= policy.ticket_burn_rate:
        target, reason = "warning", (f"SLO {burning.slo} burns its error budget at {burning.burn_rate:.1f}x "
                                     f"(>= {policy.ticket_burn_rate:g}x)")
    elif spent is not None and spent.remaining is not None and spent.remaining < policy.low_budget:
        target, reason = "warning", (f"SLO {spent.slo} has {_percent(spent.remaining)} of its error budget left "
                                     f"(< {_percent(policy.low_budget)})")
    else:
        left = f"{_percent(budget.remaining)} budget left" if budget.remaining is not None else "budget unknown"
        burn = f"burn rate {budget.burn_rate:.1f}x" if budget.burn_rate is not None else "burn rate unknown"
        return severity, f"error budget healthy ({left}, {burn}); severity kept"
    if SEVERITY_RANK[target] <= rank:
        return severity, f"{reason}; severity {severity} kept"
    return target, f"{reason}; escalated from {severity} to {target}"
