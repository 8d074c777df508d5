"""Thin async client of the Prometheus HTTP API (`/api/v1/...`); returns the response's `data` member."""

from __future__ import annotations

from typing import Any

import httpx

from functions._platform.domains.metrics.source.models import MetricsSourceError


class PrometheusAPI:
    """One short-lived connection per request, so an instance may serve several event loops."""

    def __init__(self, base_url: str, timeout_s: float = 15.0):
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s

    async def _get(self, path: str, params: dict[str, Any] | list[tuple[str, Any]]) -> Any:
        try:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout_s) as client:
                response = await client.get(path, params=params)
        except httpx.HTTPError as exc:
            raise MetricsSourceError(f"Prometheus at {self.base_url} unreachable: {type(exc).__name__}: {exc}") from exc
        try:
            body = response.json()
        except ValueError:
            raise MetricsSourceError(
                f"Prometheus answered {response.status_code} with a non-JSON body: {response.text[:200]}"
            ) from None
        if body.get("status") != "success":
            raise MetricsSourceError(f"Prometheus {body.get('errorType', response.status_code)}: "
                                     f"{body.get('error', 'unknown error')}")
        return body.get("data")

    async def query(self, query: str, time: float) -> dict[str, Any]:
        return await self._get("/api/v1/query", {"query": query, "time": f"{time:.3f}"})

    async def query_range(self, query: str, start: float, end: float, step: float) -> dict[str, Any]:
        return await self._get("/api/v1/query_range", {
            "query": query, "start": f"{start:.3f}", "end": f"{end:.3f}", "step": f"{step:g}",
        })

    async def series(self, match: str, start: float, end: float) -> list[dict[str, str]]:
        return await self._get("/api/v1/series", [("match[]", match), ("start", f"{start:.3f}"),
                                                  ("end", f"{end:.3f}")])

    async def label_values(self, label: str, match: str | None, start: float, end: float) -> list[str]:
        params: list[tuple[str, Any]] = [("start", f"{start:.3f}"), ("end", f"{end:.3f}")]
        if match:
            params.append(("match[]", match))
        return await self._get(f"/api/v1/label/{label}/values", params)
