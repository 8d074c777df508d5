"""The REST API of `sreo serve`: every function's route table on one port, plus the broker ingress,
health, readiness and metrics. OpenAPI at /openapi.json."""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from events.envelope import InvalidEvent, decode
from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Route, call_route, check_token
from functions._platform.runtime import Runtime
from functions._platform.telemetry import HTTP_LATENCY, HTTP_REQUESTS
from functions.report.routes import ROUTES as REPORT_ROUTES
from functions.scan.routes import ROUTES as SCAN_ROUTES
from functions.toil.routes import ROUTES as TOIL_ROUTES
from functions.triage.routes import ROUTES as TRIAGE_ROUTES


def _to_response(result: HttpResponse) -> Response:
    return Response(result.encoded(), status_code=result.status, media_type=result.content_type,
                    headers=result.headers)


def _request(request: Request, body: bytes) -> HttpRequest:
    return HttpRequest(method=request.method, path=request.url.path,
                       headers={k.lower(): v for k, v in request.headers.items()},
                       query=dict(request.query_params), body=body, path_params=dict(request.path_params),
                       client=request.client.host if request.client else None)


def _openapi_extra(route: Route) -> dict[str, Any] | None:
    extra: dict[str, Any] = {}
    if route.request_model is not None:
        extra["requestBody"] = {"required": not route.body_optional, "content": {
            "application/json": {"schema": route.request_model.model_json_schema(by_alias=True)}}}
    if route.write:
        extra["security"] = [{"bearer": []}]
    return extra or None


def create_app(runtime: Runtime, broker: Any) -> FastAPI:
    settings = runtime.settings
    app = FastAPI(title="SRE Orchestrator", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Incident triage, evidence, correlation and reports. Writes need a bearer token "
                              "when SREO_API_TOKENS is set.")

    @app.middleware("http")
    async def limits_and_metrics(request: Request, call_next: Any) -> Response:
        started = time.monotonic()
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            response: Response = JSONResponse(ApiError(413, "payload_too_large",
                                                       f"body over {settings.max_body_bytes} bytes").body(), 413)
        else:
            response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", "unmatched")
        HTTP_REQUESTS.labels(template, request.method, str(response.status_code)).inc()
        HTTP_LATENCY.labels(template, request.method).observe(time.monotonic() - started)
        return response

    @app.exception_handler(Exception)
    async def crash(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(ApiError(500, "internal_error", f"{type(exc).__name__}").body(), 500)

    def add(route: Route) -> None:
        async def endpoint(request: Request) -> Response:
            body = await request.body()
            return _to_response(await run_in_threadpool(call_route, route, _request(request, body), settings))

        app.add_api_route(route.path, endpoint, methods=[route.method], summary=route.summary,
                          openapi_extra=_openapi_extra(route), name=f"{route.method} {route.path}")

    for route in [*TRIAGE_ROUTES, *REPORT_ROUTES, *SCAN_ROUTES, *TOIL_ROUTES]:
        add(route)

    @app.post("/events", status_code=202, summary="Broker ingress: publish a CloudEvent (binary or structured).")
    async def publish(request: Request) -> Response:
        req = _request(request, await request.body())
        try:
            check_token(req, settings.token_set, settings.writes_open(True))
            event = decode(req.headers, req.body)
        except ApiError as exc:
            return JSONResponse(exc.body(), exc.status)
        except InvalidEvent as exc:
            return JSONResponse(ApiError(400, "invalid_cloudevent", str(exc)).body(), 400)
        broker.emit(event)
        return JSONResponse({"accepted": event["id"]}, 202)

    @app.get("/docs", summary="The API reference as a page; works offline.", include_in_schema=False)
    async def docs() -> Response:
        from functions._local.docs_page import page

        return Response(page(app.openapi()), media_type="text/html; charset=utf-8")

    @app.get("/healthz", summary="Liveness.")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="Readiness: the store answers.")
    async def readyz() -> Response:
        def ping() -> None:
            with runtime.db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))

        try:
            await run_in_threadpool(ping)
        except Exception as exc:  # noqa: BLE001
            return JSONResponse(ApiError(503, "not_ready", f"store unavailable: {type(exc).__name__}").body(), 503)
        return JSONResponse({"status": "ready"})

    @app.get("/metrics", summary="Prometheus metrics.")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    original = app.openapi

    def openapi() -> dict[str, Any]:
        schema = original()
        schema.setdefault("components", {})["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
