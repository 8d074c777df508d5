"""Which Kubernetes API permissions the code needs, read from its calls into the official client.

Every client method the sources name (a call or a string naming it) is looked up in `kubernetes.client`; the
request path in the client's own generated code gives the API group and resource (and whether the call names a
namespace), and the method's prefix the verb (`list_*` is list, `read_*` is get)."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

VERBS = {"list": "list", "read": "get", "watch": "watch", "create": "create", "patch": "patch",
         "replace": "update", "delete": "delete", "connect": "create"}
METHOD = re.compile(rf"^({'|'.join(VERBS)})_\w+$")
API_CLASSES = ("CoreV1Api", "AppsV1Api", "NetworkingV1Api", "EventsV1Api", "BatchV1Api", "RbacAuthorizationV1Api",
               "AutoscalingV2Api", "PolicyV1Api", "StorageV1Api", "ApiregistrationV1Api", "CustomObjectsApi")

Permission = tuple[str, str, str]  # (api group, resource, verb)


def named_methods(paths: list[Path]) -> set[str]:
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            name = node.attr if isinstance(node, ast.Attribute) else node.value if (
                isinstance(node, ast.Constant) and isinstance(node.value, str)) else None
            if name and METHOD.match(name):
                found.add(name)
    return found


def _resource(path: str) -> tuple[str, str, bool]:
    """(API group, resource, whether the path is inside one namespace) of a request path."""
    parts = path.strip("/").split("/")
    group, rest = ("", parts[2:]) if parts[0] == "api" else (parts[1], parts[3:])
    in_namespace = len(rest) > 2 and rest[0] == "namespaces" and rest[1] == "{namespace}"
    if in_namespace:
        rest = rest[2:]
    resource = rest[0] + (f"/{rest[2]}" if len(rest) > 2 else "")
    return group, resource, in_namespace


def _request(method: str) -> tuple[Permission, bool] | None:
    from kubernetes import client

    for class_name in API_CLASSES:
        api = getattr(client, class_name)
        if hasattr(api, method):
            source = inspect.getsource(getattr(api, f"{method}_with_http_info"))
            group, resource, in_namespace = _resource(re.findall(r"'(/apis?/[^']*)'", source)[0])
            return (group, resource, VERBS[method.split("_", 1)[0]]), in_namespace
    return None  # a name that only looks like a client method


def permission(method: str) -> Permission | None:
    request = _request(method)
    return request[0] if request else None


def used_permissions(paths: list[Path]) -> set[Permission]:
    return {p for p in map(permission, named_methods(paths)) if p is not None}


def cluster_wide_permissions(paths: list[Path]) -> set[Permission]:
    """What the calls outside any one namespace need: across all namespaces, or on cluster-scoped objects."""
    requests = (_request(method) for method in named_methods(paths))
    return {request[0] for request in requests if request is not None and not request[1]}


def granted_permissions(roles: list[dict]) -> set[Permission]:
    return {(group, resource, verb) for role in roles for rule in role.get("rules", [])
            for group in rule.get("apiGroups", []) for resource in rule.get("resources", [])
            for verb in rule.get("verbs", [])}
