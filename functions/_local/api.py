"""The REST API of `sreo serve`: every function's route table on one port, plus the broker ingress,
health, readiness and metrics. OpenAPI at /openapi.json, built from the same route tables."""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from functions._local.host_routes import host_routes
from functions._platform import openapi
from functions._platform.httpapi import (
    ApiError,
    HttpRequest,
    HttpResponse,
    Route,
    call_route,
    failure_response,
)
from functions._platform.runtime import Runtime
from functions._platform.telemetry import HTTP_LATENCY, HTTP_REQUESTS
from functions.report.routes import ROUTES as REPORT_ROUTES
from functions.scan.routes import ROUTES as SCAN_ROUTES
from functions.toil.routes import ROUTES as TOIL_ROUTES
from functions.triage.routes import ROUTES as TRIAGE_ROUTES

TITLE, VERSION = "SRE Orchestrator", "0.1.0"
DESCRIPTION = ("Incident triage, evidence, correlation and reports. Writes need a bearer token when SREO_API_TOKENS "
               "is set; errors are `{\"error\": {\"code\", \"message\", \"details\"}}`; a 503 carries Retry-After.")


def _to_response(result: HttpResponse) -> Response:
    return Response(result.encoded(), status_code=result.status, media_type=result.content_type,
                    headers=result.headers)


def _request(request: Request, body: bytes) -> HttpRequest:
    return HttpRequest(method=request.method, path=request.url.path,
                       headers={k.lower(): v for k, v in request.headers.items()},
                       query=dict(request.query_params), body=body, path_params=dict(request.path_params),
                       client=request.client.host if request.client else None)


def create_app(runtime: Runtime, broker: Any) -> FastAPI:
    settings = runtime.settings
    app = FastAPI(title=TITLE, version=VERSION, description=DESCRIPTION, docs_url=None, redoc_url=None)

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

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            error = ApiError(404, "not_found", f"no route for {request.method} {request.url.path}")
        elif exc.status_code == 405:
            error = ApiError(405, "method_not_allowed", f"{request.method} is not allowed on {request.url.path}")
        else:
            error = ApiError(exc.status_code, "http_error", str(exc.detail))
        return JSONResponse(error.body(), exc.status_code, headers=dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        return _to_response(failure_response(exc, request.url.path))

    def add(route: Route) -> None:
        async def endpoint(request: Request) -> Response:
            body = await request.body()
            return _to_response(await run_in_threadpool(call_route, route, _request(request, body), runtime))

        app.add_api_route(route.path, endpoint, methods=[route.method], summary=route.summary,
                          name=f"{route.method} {route.path}", include_in_schema=False)

    routes = [*TRIAGE_ROUTES, *REPORT_ROUTES, *SCAN_ROUTES, *TOIL_ROUTES, *host_routes(broker)]
    for route in routes:
        add(route)

    spec = openapi.document(routes, TITLE, VERSION, DESCRIPTION)
    app.openapi = lambda: spec  # type: ignore[method-assign]

    @app.get("/docs", summary="The API reference as a page; works offline.", include_in_schema=False)
    async def docs() -> Response:
        from functions._local.docs_page import page

        return Response(page(spec), media_type="text/html; charset=utf-8")
    return app
