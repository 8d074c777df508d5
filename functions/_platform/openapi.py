"""The OpenAPI 3.1 document, built from the route tables themselves so it cannot drift from what is served:
path parameters, every status a route answers with the error schema, content types and security per route."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from functions._platform.dependencies import RETRY_AFTER_S
from functions._platform.httpapi import Route

ERROR = {"$ref": "#/components/schemas/Error"}
REF_TEMPLATE = "#/components/schemas/{model}"

SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "An API token from SREO_API_TOKENS."},
    "responder": {"type": "http", "scheme": "bearer",
                  "description": "A responder token from SREO_RESPONDER_TOKENS: may approve actions."},
    "brokerBearer": {"type": "http", "scheme": "bearer",
                     "description": "The broker's own token (SREO_BROKER_TOKEN); nothing else is accepted."},
    "brokerQuery": {"type": "apiKey", "in": "query", "name": "token",
                    "description": "The broker's token in the sink URI, for a Knative deadLetterSink (no headers)."},
}
SECURITY: dict[str, list[dict[str, list[str]]]] = {
    "bearer": [{"bearer": []}], "responder": [{"responder": []}],
    "broker": [{"brokerBearer": []}, {"brokerQuery": []}],
}

ERROR_SCHEMA = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "properties": {"error": {
        "type": "object", "required": ["code", "message", "details"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {}},
    }},
}
CLOUDEVENT_SCHEMA = {
    "type": "object", "required": ["specversion", "id", "source", "type"],
    "properties": {"specversion": {"const": "1.0"}, "id": {"type": "string", "minLength": 1},
                   "source": {"type": "string", "minLength": 1}, "type": {"type": "string", "minLength": 1},
                   "datacontenttype": {"type": "string"}, "data": {}},
    "description": "A structured-mode CloudEvent; binary mode (ce-* headers) is accepted too.",
}

IMPLIED = {
    400: "Malformed body (not JSON, or not a CloudEvent).",
    401: "A valid bearer token is required.",
    403: "The token may not do this.",
    404: "No such resource.",
    413: "Body over the size limit.",
    415: "Unsupported media type.",
    422: "Invalid input; `details` names each invalid field.",
    503: "A dependency (the store, search or the broker) is unavailable; retry after `Retry-After` seconds.",
}


def _path_params(path: str) -> list[dict[str, Any]]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
            for name in re.findall(r"\{(\w+)\}", path)]


def _model_schema(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True, ref_template=REF_TEMPLATE)
    components.update(schema.pop("$defs", {}))
    return schema


def _statuses(route: Route) -> dict[int, str]:
    statuses = dict(route.responses)
    implied = set()
    if route.store:
        implied |= {422, 503}
    if route.security:
        implied.add(401)
    if route.security == "responder":
        implied.add(403)
    if "{" in route.path:
        implied.add(404)
    if any(p.location == "query" for p in route.params):
        implied.add(422)
    if any(p.location == "header" for p in route.params):
        implied.add(400)
    if route.request_model is not None:
        implied |= {400, 413, 415, 422}
    if route.cloudevent_body:
        implied |= {400, 413}
    for status in implied:
        statuses.setdefault(status, IMPLIED[status])
    return statuses


def _response(route: Route, status: int, description: str) -> dict[str, Any]:
    if status >= 400:
        response: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": ERROR}}}
        if status == 503:
            response["headers"] = {"Retry-After": {"schema": {"type": "integer", "minimum": 1},
                                                   "description": f"Seconds to wait ({RETRY_AFTER_S})."}}
        return response
    content = {}
    for media in route.produces:
        if media == "application/json":
            content[media] = {"schema": dict(route.response_schema or {"type": "object"})}
        else:
            content[media] = {"schema": {"type": "string"}}
    return {"description": description, "content": content}


def operation(route: Route, components: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": route.summary, "operationId": _operation_id(route)}
    parameters = _path_params(route.path) + [
        {"name": p.name, "in": p.location, "required": p.required, "schema": p.schema,
         **({"description": p.description} if p.description else {})} for p in route.params]
    if parameters:
        op["parameters"] = parameters
    if route.request_model is not None:
        op["requestBody"] = {"required": not route.body_optional, "content": {
            "application/json": {"schema": _model_schema(route.request_model, components)}}}
    elif route.cloudevent_body:
        op["requestBody"] = {"required": True, "content": {
            "application/cloudevents+json": {"schema": CLOUDEVENT_SCHEMA}}}
    op["responses"] = {str(status): _response(route, status, text)
                       for status, text in sorted(_statuses(route).items())}
    op["security"] = SECURITY[route.security] if route.security else []
    return op


def _operation_id(route: Route) -> str:
    words = re.sub(r"[{}]", "", route.path).strip("/").replace("/", "_").replace("-", "_") or "root"
    return f"{route.method.lower()}_{words}"


def document(routes: list[Route], title: str, version: str, description: str) -> dict[str, Any]:
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = operation(route, components)
    return {"openapi": "3.1.0", "info": {"title": title, "version": version, "description": description},
            "paths": paths, "components": {"schemas": components, "securitySchemes": SECURITY_SCHEMES}}
