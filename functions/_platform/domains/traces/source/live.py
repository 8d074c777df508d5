"""Live providers: Tempo's HTTP API (search, then each trace as OTLP JSON) and Jaeger's query API."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from functions._platform.domains.traces.source.formats import jaeger_spans, otlp_spans
from functions._platform.domains.traces.source.models import Trace, TracesSourceError, group_traces
from functions._platform.domains.traces.source.provider import DEFAULT_LIMIT

TIMEOUT_S = 30.0
CONCURRENT_FETCHES = 8


class _Http:
    def __init__(self, url: str, what: str, headers: dict[str, str]):
        self.url = url.rstrip("/")
        self.what = what
        self.client = httpx.AsyncClient(base_url=self.url, timeout=TIMEOUT_S, headers=headers)

    async def get(self, path: str, params: dict[str, Any] | None = None, missing_ok: bool = False) -> Any:
        try:
            response = await self.client.get(path, params=params)
        except httpx.HTTPError as exc:
            raise TracesSourceError(f"{self.what} {self.url}{path}: {type(exc).__name__}: {exc}") from exc
        if missing_ok and response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise TracesSourceError(f"{self.what} {self.url}{path}: HTTP {response.status_code}: "
                                    f"{response.text[:300]}")
        try:
            return response.json()
        except ValueError as exc:
            raise TracesSourceError(f"{self.what} {self.url}{path}: not JSON: {response.text[:200]}") from exc

    async def aclose(self) -> None:
        await self.client.aclose()


def _headers(token: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    headers = {"Accept": "application/json", **(extra or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


class TempoProvider:
    """`GET /api/search?tags=service.name=<s>&start=&end=` (unix seconds), then `GET /api/traces/<id>`."""

    def __init__(self, url: str, token: str | None = None, tenant: str | None = None):
        self.http = _Http(url, "tempo", _headers(token, {"X-Scope-OrgID": tenant} if tenant else None))
        self.description = f"tempo: {self.http.url}"

    async def search(self, service: str | None, start: float, end: float, limit: int = DEFAULT_LIMIT
                     ) -> list[Trace]:
        params: dict[str, Any] = {"start": int(start), "end": int(end) + 1, "limit": limit}
        if service:
            params["tags"] = f"service.name={service}"
        answer = await self.http.get("/api/search", params)
        ids = [str(item.get("traceID", "")) for item in (answer or {}).get("traces") or [] if item.get("traceID")]
        gate = asyncio.Semaphore(CONCURRENT_FETCHES)

        async def fetch(trace_id: str) -> Trace | None:
            async with gate:
                return await self.trace(trace_id)

        found = await asyncio.gather(*(fetch(trace_id) for trace_id in ids[:limit]))
        return [trace for trace in found if trace is not None]

    async def trace(self, trace_id: str) -> Trace | None:
        answer = await self.http.get(f"/api/traces/{trace_id}", missing_ok=True)
        traces = group_traces(otlp_spans(answer)) if isinstance(answer, dict) else []
        return traces[0] if traces else None

    async def services(self, start: float, end: float) -> list[str]:
        answer = await self.http.get("/api/search/tag/service.name/values",
                                     {"start": int(start), "end": int(end) + 1})
        values = (answer or {}).get("tagValues") or []
        return sorted({str(v.get("value", v) if isinstance(v, dict) else v) for v in values})

    async def aclose(self) -> None:
        await self.http.aclose()


class JaegerProvider:
    """`GET /api/traces?service=&start=&end=&limit=` (microseconds), `GET /api/traces/<id>`, `GET /api/services`."""

    def __init__(self, url: str, token: str | None = None):
        self.http = _Http(url, "jaeger", _headers(token))
        self.description = f"jaeger: {self.http.url}"

    async def search(self, service: str | None, start: float, end: float, limit: int = DEFAULT_LIMIT
                     ) -> list[Trace]:
        services = [service] if service else await self.services(start, end)
        spans = []
        for name in services:  # Jaeger searches one service at a time
            answer = await self.http.get("/api/traces", {"service": name, "start": int(start * 1e6),
                                                         "end": int(end * 1e6), "limit": limit})
            spans.extend(jaeger_spans(answer or {}))
        unique = {(span.trace_id, span.span_id): span for span in spans}
        return group_traces(unique.values())[:limit] if service else group_traces(unique.values())

    async def trace(self, trace_id: str) -> Trace | None:
        answer = await self.http.get(f"/api/traces/{trace_id}", missing_ok=True)
        traces = group_traces(jaeger_spans(answer)) if isinstance(answer, dict) else []
        return traces[0] if traces else None

    async def services(self, start: float, end: float) -> list[str]:
        answer = await self.http.get("/api/services")
        return sorted(str(name) for name in (answer or {}).get("data") or [] if name != "jaeger-query")

    async def aclose(self) -> None:
        await self.http.aclose()
