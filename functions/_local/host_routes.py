"""The routes `sreo serve` adds to the functions' own: broker ingress, liveness, readiness and metrics."""

from __future__ import annotations

from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from functions._local import readiness
from functions._platform.dependencies import RETRY_AFTER_S
from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Route
from functions._platform.runtime import Runtime
from sreo_events.envelope import InvalidEvent, decode

READY_SCHEMA = {"type": "object", "required": ["status"], "properties": {"status": {"const": "ready"}}}


def host_routes(broker: Any) -> list[Route]:
    def publish(runtime: Runtime, request: HttpRequest) -> HttpResponse:
        if len(request.body) > runtime.settings.max_body_bytes:
            raise ApiError(413, "payload_too_large", "CloudEvent body is over the size limit")
        try:
            event = decode(request.headers, request.body)
        except InvalidEvent as exc:
            raise ApiError(400, "invalid_cloudevent", str(exc)) from exc
        broker.emit(event)
        return HttpResponse(202, {"accepted": event["id"]})

    def healthz(_runtime: Runtime, _request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, {"status": "ok"})

    def readyz(runtime: Runtime, _request: HttpRequest) -> HttpResponse:
        checks = readiness.check(runtime)
        down = sorted(name for name, state in checks.items() if state != "ok")
        if down:
            return HttpResponse(503, ApiError(503, "not_ready", f"unavailable: {', '.join(down)}",
                                              {"checks": checks}).body(),
                                headers={"Retry-After": str(RETRY_AFTER_S)})
        return HttpResponse(200, {"status": "ready"})

    def metrics(_runtime: Runtime, _request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, generate_latest(), content_type=CONTENT_TYPE_LATEST)

    return [
        Route("POST", "/events", publish, "Broker ingress: publish a CloudEvent (binary or structured).",
              write=True, cloudevent_body=True, responses={202: "Accepted for delivery."}),
        Route("GET", "/healthz", healthz, "Liveness: the process answers.", store=False,
              response_schema={"type": "object", "properties": {"status": {"const": "ok"}}}),
        Route("GET", "/readyz", readyz, "Readiness: the store and the search backend answer; a 503 names "
              "the dependency that does not.", store=False, response_schema=READY_SCHEMA,
              responses={200: "Ready.", 503: "Not ready: `details.checks` says which dependency is down."}),
        Route("GET", "/metrics", metrics, "Prometheus metrics (text exposition format).", store=False,
              produces=(CONTENT_TYPE_LATEST.split(";")[0],)),
    ]
