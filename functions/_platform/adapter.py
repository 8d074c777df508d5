"""functions-framework glue shared by the function adapters (func.py): one HTTP target that serves a route
table and, on `/`, consumes CloudEvents delivered by the broker."""

from __future__ import annotations

from typing import Any

from functions._platform.consumer import Handler, PoisonEvent, consume
from functions._platform.httpapi import HttpRequest, Route, dispatch, from_flask, to_flask
from functions._platform.runtime import get_runtime
from sreo_events.envelope import InvalidEvent, decode


def is_cloudevent(request: HttpRequest) -> bool:
    content_type = request.header("content-type") or ""
    return request.path in ("", "/") and (
        "ce-specversion" in request.headers or content_type.startswith("application/cloudevents")
    )


def serve(flask_request: Any, routes: list[Route], consumer: str, handlers: dict[str, Handler]) -> Any:
    request = from_flask(flask_request)
    runtime = get_runtime()
    if request.method == "POST" and is_cloudevent(request):
        try:
            event = decode(request.headers, request.body)
        except InvalidEvent as exc:
            raise PoisonEvent(str(exc)) from exc
        consume(consumer, event, handlers, runtime)
        return "", 204
    return to_flask(dispatch(routes, request, runtime, open_by_default=False))
