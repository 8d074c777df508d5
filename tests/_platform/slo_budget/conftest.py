"""A real Prometheus whose TSDB is backfilled with the SLO metadata series `sreo slo generate` records."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from support.prometheus import prometheus

STEP_S = 60
SPAN_S = 3600  # samples from an hour ago to an hour ahead, so an instant query at "now" finds them


@dataclass(frozen=True)
class SLOSeries:
    service: str
    slo: str
    remaining: str  # OpenMetrics number text: "0.5", "NaN", "+Inf"
    burn_rate: str


# what each service's SLOs report; the tests state the verdict they expect for each service
SERIES = [
    SLOSeries("checkout", "availability", "-0.2", "3"),
    SLOSeries("checkout", "latency", "0.6", "20"),
    SLOSeries("search", "availability", "0.8", "16.5"),
    SLOSeries("catalog", "availability", "0.05", "2"),
    SLOSeries("payments", "availability", "0.7", "7"),
    SLOSeries("ledger", "availability", "0.9", "0.5"),
    SLOSeries("idle", "availability", "1", "NaN"),
    SLOSeries('we"ird', "availability", "-1", "1"),
]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def openmetrics_text(now: int) -> str:
    lines = []
    metrics = {
        "slo:period_error_budget_remaining:ratio": lambda s: s.remaining,
        "slo:current_burn_rate:ratio": lambda s: s.burn_rate,
        "slo:objective:ratio": lambda s: "0.999",  # a neighbouring metadata series the query must not pick up
    }
    for name, value_of in metrics.items():
        lines.append(f"# TYPE {name} gauge")
        for series in SERIES:
            labels = (f'sloth_id="{_escape(series.service)}-{series.slo}",sloth_service="{_escape(series.service)}",'
                      f'sloth_slo="{series.slo}"')
            for ts in range(now - SPAN_S, now + SPAN_S, STEP_S):
                lines.append(f"{name}{{{labels}}} {value_of(series)} {ts}")
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="session")
def prometheus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with prometheus(openmetrics_text(int(time.time())), tmp_path_factory.mktemp("slo-budget-prometheus")) as url:
        yield url
