"""Traces the tests write: a checkout path (frontend -> checkout -> payments -> its database) as OTLP/JSON and
Jaeger JSON, and loopback servers speaking Tempo's and Jaeger's HTTP APIs over those traces."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

KINDS = {"internal": 1, "server": 2, "client": 3, "producer": 4, "consumer": 5}


@dataclass
class Span:
    trace_id: str
    span_id: str
    parent_id: str
    service: str
    name: str
    kind: str
    start: float
    end: float
    error: bool = False
    attributes: dict | None = None


@dataclass(frozen=True)
class Timings:
    """Seconds each part of the checkout path takes."""

    frontend_own: float = 0.010
    checkout_own: float = 0.015
    payments_own: float = 0.040
    database: float = 0.005  # payments' call to its (untraced) database
    gap: float = 0.001  # checkout's client span around payments' server span, each side (network, pool)


NORMAL = Timings()


def checkout_trace(index: int, start: float, timings: Timings = NORMAL, error: bool = False) -> list[Span]:
    """frontend -> checkout -> payments -> postgres (payments-db, not traced), each taking `timings`."""
    trace = f"{index + 1:032x}"
    jitter = (index % 5) * 0.001
    ids = iter(f"{index + 1:08x}{n:08x}" for n in range(1, 20))
    fe, fe_call, co, co_call, pay, db = (next(ids) for _ in range(6))
    co_start = start + timings.frontend_own + 0.001
    call_start = co_start + timings.checkout_own
    pay_start = call_start + timings.gap
    db_start = pay_start + timings.payments_own + jitter
    pay_end = db_start + timings.database
    call_end = pay_end + timings.gap
    co_end = call_end + 0.001
    fe_end = co_end + 0.001
    return [
        Span(trace, fe, "", "frontend", "GET /checkout", "server", start, fe_end + 0.002, error),
        Span(trace, fe_call, fe, "frontend", "POST /checkout", "client", co_start - 0.001, fe_end, error),
        Span(trace, co, fe_call, "checkout", "POST /checkout", "server", co_start, co_end, error),
        Span(trace, co_call, co, "checkout", "POST /charge", "client", call_start, call_end, error),
        Span(trace, pay, co_call, "payments", "POST /charge", "server", pay_start, pay_end, error),
        Span(trace, db, pay, "payments", "INSERT charges", "client", db_start, pay_end, False,
             {"db.system": "postgresql", "server.address": "payments-db"}),
    ]


def checkout_traces(first: float, count: int, every_s: float, slow_from: float,
                    slow: Timings = Timings(payments_own=0.4), errors_from: float | None = None) -> list[Span]:
    """One trace every `every_s` from `first`, taking `slow` instead of the normal timings from `slow_from` on;
    every span failing from `errors_from` on (payments' database call excepted)."""
    spans: list[Span] = []
    for index in range(count):
        start = first + index * every_s
        timings = slow if start >= slow_from else NORMAL
        spans.extend(checkout_trace(index, start, timings, errors_from is not None and start >= errors_from))
    return spans


def _value(value: object) -> dict:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    return {"stringValue": str(value)}


def otlp(spans: list[Span]) -> dict:
    """An OTLP/JSON export request: one resourceSpans per service, times as nanosecond strings."""
    services = sorted({span.service for span in spans})
    return {"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]},
        "scopeSpans": [{"scope": {"name": "tests"}, "spans": [{
            "traceId": s.trace_id, "spanId": s.span_id, "parentSpanId": s.parent_id, "name": s.name,
            "kind": KINDS[s.kind], "startTimeUnixNano": str(round(s.start * 1e9)),
            "endTimeUnixNano": str(round(s.end * 1e9)), "status": {"code": 2} if s.error else {},
            "attributes": [{"key": k, "value": _value(v)} for k, v in (s.attributes or {}).items()],
        } for s in spans if s.service == service]}],
    } for service in services]}


def jaeger(spans: list[Span]) -> dict:
    """Jaeger query API JSON: `{"data": [trace]}`, microseconds, `processes` and CHILD_OF `references`."""
    traces: dict[str, list[Span]] = {}
    for span in spans:
        traces.setdefault(span.trace_id, []).append(span)
    data = []
    for trace_id, found in traces.items():
        processes = {f"p{n}": {"serviceName": name, "tags": []}
                     for n, name in enumerate(sorted({s.service for s in found}), 1)}
        process_of = {p["serviceName"]: key for key, p in processes.items()}
        data.append({"traceID": trace_id, "processes": processes, "spans": [{
            "traceID": trace_id, "spanID": s.span_id, "operationName": s.name,
            "references": [{"refType": "CHILD_OF", "traceID": trace_id, "spanID": s.parent_id}] if s.parent_id
            else [], "startTime": round(s.start * 1e6), "duration": round((s.end - s.start) * 1e6),
            "processID": process_of[s.service],
            "tags": [{"key": "span.kind", "type": "string", "value": s.kind},
                     *([{"key": "error", "type": "bool", "value": True}] if s.error else []),
                     *({"key": k, "type": "string", "value": v} for k, v in (s.attributes or {}).items())],
        } for s in found]})
    return {"data": data}


@contextmanager
def _serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Json(BaseHTTPRequestHandler):
    requests: list[str]

    def answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def _by_trace(spans: list[Span]) -> dict[str, list[Span]]:
    found: dict[str, list[Span]] = {}
    for span in spans:
        found.setdefault(span.trace_id, []).append(span)
    return found


@contextmanager
def tempo(spans: list[Span]) -> Iterator[tuple[str, list[str]]]:
    """Tempo's `/api/search` (tags=service.name=..., start/end in seconds, limit) and `/api/traces/<id>`."""
    traces, requests = _by_trace(spans), []

    class Handler(_Json):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            requests.append(self.path)
            if url.path == "/api/search":
                start, end = float(query.get("start", 0)), float(query.get("end", 1e12))
                service = query.get("tags", "").removeprefix("service.name=") or None
                hits = [{"traceID": tid, "rootServiceName": found[0].service,
                         "startTimeUnixNano": str(round(found[0].start * 1e9))}
                        for tid, found in traces.items() if start <= found[0].start <= end
                        and (service is None or any(s.service == service for s in found))]
                self.answer(200, {"traces": hits[: int(query.get("limit", 20))]})
            elif url.path.startswith("/api/traces/"):
                found = traces.get(url.path.rsplit("/", 1)[1])
                self.answer(200, {"batches": otlp(found)["resourceSpans"]}) if found else self.answer(404, {})
            elif url.path == "/api/search/tag/service.name/values":
                self.answer(200, {"tagValues": sorted({s.service for s in spans})})
            else:
                self.answer(404, {"error": "not found"})

    with _serving(Handler) as url:
        yield url, requests


@contextmanager
def jaeger_query(spans: list[Span]) -> Iterator[tuple[str, list[str]]]:
    """Jaeger's `/api/services`, `/api/traces?service=&start=&end=` (microseconds) and `/api/traces/<id>`."""
    traces, requests = _by_trace(spans), []

    class Handler(_Json):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            requests.append(self.path)
            if url.path == "/api/services":
                self.answer(200, {"data": sorted({s.service for s in spans})})
            elif url.path == "/api/traces":
                start, end = float(query["start"]) / 1e6, float(query["end"]) / 1e6
                chosen = [s for found in traces.values() if start <= found[0].start <= end
                          and any(s.service == query["service"] for s in found) for s in found]
                self.answer(200, jaeger(chosen))
            elif url.path.startswith("/api/traces/"):
                found = traces.get(url.path.rsplit("/", 1)[1])
                self.answer(200, jaeger(found)) if found else self.answer(404, {"data": None})
            else:
                self.answer(404, {"error": "not found"})

    with _serving(Handler) as url:
        yield url, requests
