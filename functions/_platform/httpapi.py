"""Framework-neutral HTTP routes: one table per function, served by functions-framework (Flask) in Knative
and by the local FastAPI host. Errors are JSON `{"error": {"code", "message", "details"}}`."""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from functions._platform.dependencies import RETRY_AFTER_S, dependency_down, is_bad_data
from functions._platform.telemetry import log

if TYPE_CHECKING:
    from functions._platform.runtime import Runtime


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}

    def as_response(self) -> HttpResponse:
        return HttpResponse(self.status, self.body())


@dataclass
class HttpRequest:
    method: str
    path: str
    headers: Mapping[str, str]  # lower-case keys
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    path_params: dict[str, str] = field(default_factory=dict)
    client: str | None = None  # the peer address, as the server saw it

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class HttpResponse:
    status: int
    body: Any
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        if self.content_type == "application/json":
            return json.dumps(self.body, default=str).encode()
        return self.body.encode() if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Param:
    """A query (or header) parameter, as the OpenAPI document declares it."""

    name: str
    schema: dict[str, Any]
    description: str = ""
    required: bool = False
    location: str = "query"


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # `/incidents/{incident_id}`
    handler: Callable[[Runtime, HttpRequest], HttpResponse]  # (runtime, request), as event handlers take (runtime, data, event)
    summary: str
    request_model: type[BaseModel] | None = None
    write: bool = False  # needs a bearer token when tokens are configured
    body_optional: bool = False
    # For the OpenAPI document: the success statuses and any others the handler answers, beyond those implied
    # (401 for a token, 404 for a path parameter, 400/413/415/422 for a body, 422 for parameters, 503 always).
    responses: Mapping[int, str] = field(default_factory=lambda: {200: "OK"})
    params: tuple[Param, ...] = ()
    produces: tuple[str, ...] = ("application/json",)
    response_schema: Mapping[str, Any] | None = None
    auth: str | None = None  # the security scheme: "bearer" for writes unless told otherwise
    cloudevent_body: bool = False  # takes a CloudEvent (binary or structured mode)
    store: bool = True  # reads or writes the store, so the store's outage shows here

    @property
    def security(self) -> str | None:
        return self.auth or ("bearer" if self.write else None)

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if method != self.method:
            return None
        pattern = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.path) + "/?$"
        found = re.match(pattern, path)
        return found.groupdict() if found else None


def _has_nul(value: Any) -> bool:
    """NUL can be written in JSON (\\u0000) but no store keeps it in text (PostgreSQL refuses it)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and "\x00" in item:
            return True
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def parse_json(request: HttpRequest, model: type[BaseModel], max_bytes: int) -> BaseModel:
    if len(request.body) > max_bytes:
        raise ApiError(413, "payload_too_large", f"body is {len(request.body)} bytes; the limit is {max_bytes}")
    content_type = (request.header("content-type") or "application/json").split(";")[0].strip()
    if content_type not in ("application/json", "application/cloudevents+json") and not content_type.endswith("+json"):
        raise ApiError(415, "unsupported_media_type", f"expected application/json, got {content_type}")
    try:
        raw = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, "malformed_json", f"body is not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise ApiError(400, "malformed_json", "body is nested too deeply") from exc
    if not isinstance(raw, dict):
        raise ApiError(422, "invalid_body", "body must be a JSON object")
    if _has_nul(raw):
        raise ApiError(422, "invalid_body", "text may not contain NUL (\\u0000) characters")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        details = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()[:20]]
        raise ApiError(422, "validation_failed", f"{exc.error_count()} invalid field(s)", details) from exc


def int_param(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high], or a 422 naming the bounds."""
    raw = request.query.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ApiError(422, "invalid_parameter", f"{name} must be an integer from {low} to {high}")
    return int(raw)


def check_token(request: HttpRequest, allowed: frozenset[str], open_when_unset: bool = True) -> None:
    """Bearer auth. With no tokens configured: open when ``open_when_unset`` (local use; the server warns at
    start-up), otherwise every write is refused, so a deployment that forgot its tokens is not an open door."""
    if not allowed:
        if open_when_unset:
            return
        raise ApiError(401, "unauthorized", "writes are refused: no SREO_API_TOKENS are configured on this "
                       "server (set them, or SREO_OPEN_WRITES=true on a trusted network)")
    header = request.header("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not any(hmac.compare_digest(token.strip(), t) for t in allowed):
        raise ApiError(401, "unauthorized", "a valid bearer token is required for this endpoint")


def dispatch(routes: list[Route], request: HttpRequest, runtime: Runtime,
             open_by_default: bool = True) -> HttpResponse:
    allowed_methods = []
    for route in routes:
        params = route.match(request.method, request.path)
        if params is None:
            if route.match(route.method, request.path) is not None:
                allowed_methods.append(route.method)
            continue
        request.path_params = params
        return call_route(route, request, runtime, open_by_default)
    if allowed_methods:
        return ApiError(405, "method_not_allowed", f"use {', '.join(allowed_methods)}").as_response()
    return ApiError(404, "not_found", f"no route for {request.method} {request.path}").as_response()


def unavailable(dependency: str, exc: BaseException | None = None) -> HttpResponse:
    """503 with Retry-After: our own dependency is down, so the caller (or the broker) should try again."""
    detail = {"dependency": dependency, "reason": type(exc).__name__ if exc is not None else None}
    return HttpResponse(503, ApiError(503, f"{dependency}_unavailable", f"the {dependency} is unavailable; "
                                      f"retry in {RETRY_AFTER_S}s", detail).body(),
                        headers={"Retry-After": str(RETRY_AFTER_S)})


def failure_response(exc: Exception, where: str) -> HttpResponse:
    """What an unexpected exception becomes at the edge: 503 for a dependency that is down, 422 for a value the
    store refused, else a 500 that names no internals (the log has the traceback)."""
    dependency = dependency_down(exc)
    if dependency:
        log.warning("dependency unavailable", route=where, dependency=dependency, error=type(exc).__name__)
        return unavailable(dependency, exc)
    if isinstance(exc, RecursionError):
        return ApiError(400, "malformed_input", "input is nested too deeply").as_response()
    if is_bad_data(exc):
        return ApiError(422, "unprocessable_value", "the store refused a value in this request",
                        {"reason": type(exc).__name__}).as_response()
    log.exception("unhandled error", route=where)
    return ApiError(500, "internal_error", f"unexpected {type(exc).__name__}; see the server log").as_response()


def call_route(route: Route, request: HttpRequest, runtime: Runtime, open_by_default: bool = True) -> HttpResponse:
    """``open_by_default``: whether writes need no token when none is configured and SREO_OPEN_WRITES is unset."""
    try:
        if route.write:
            check_token(request, runtime.settings.token_set, runtime.settings.writes_open(open_by_default))
        return route.handler(runtime, request)
    except ApiError as exc:
        return exc.as_response()
    except Exception as exc:  # noqa: BLE001 - the edge answers every request with a JSON error
        return failure_response(exc, f"{route.method} {route.path}")


def from_flask(flask_request: Any) -> HttpRequest:
    return HttpRequest(
        method=flask_request.method,
        path=flask_request.path,
        headers={k.lower(): v for k, v in flask_request.headers.items()},
        query=flask_request.args.to_dict(),
        body=flask_request.get_data(),
        client=flask_request.remote_addr,
    )


def to_flask(response: HttpResponse) -> tuple[bytes, int, dict[str, str]]:
    return response.encoded(), response.status, {"Content-Type": response.content_type, **response.headers}
