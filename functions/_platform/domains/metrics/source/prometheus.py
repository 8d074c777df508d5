"""Live metrics from a Prometheus server: full PromQL, results turned into `Series`."""

from __future__ import annotations

from typing import Any

from functions._platform.domains.metrics.source.api import PrometheusAPI
from functions._platform.domains.metrics.source.models import Series


class PrometheusProvider:
    def __init__(self, base_url: str, api: PrometheusAPI | None = None):
        self.api = api or PrometheusAPI(base_url)
        self.description = f"prometheus at {base_url}"

    async def instant(self, query: str, at: float) -> list[Series]:
        return to_series(await self.api.query(query, at))

    async def range(self, query: str, start: float, end: float, step: float) -> list[Series]:
        return to_series(await self.api.query_range(query, start, end, step))

    async def series(self, match: str, start: float, end: float) -> list[dict[str, str]]:
        return list(await self.api.series(match, start, end) or [])

    async def label_values(self, label: str, match: str | None, start: float, end: float) -> list[str]:
        return sorted(await self.api.label_values(label, match, start, end) or [])

    async def aclose(self) -> None:
        return None


def to_series(data: dict[str, Any]) -> list[Series]:
    kind, result = data.get("resultType"), data.get("result")
    if kind == "matrix":
        return [Series(labels=item.get("metric", {}), points=[(float(t), float(v)) for t, v in item["values"]])
                for item in result]
    if kind == "vector":
        return [Series(labels=item.get("metric", {}), points=[(float(item["value"][0]), float(item["value"][1]))])
                for item in result]
    if kind == "scalar":
        return [Series(labels={}, points=[(float(result[0]), float(result[1]))])]
    return []  # a string result has no numeric series
