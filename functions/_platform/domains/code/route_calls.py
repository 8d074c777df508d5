"""Routes registered by a call instead of a decorator: Flask's `app.add_url_rule(rule, endpoint, view_func)` (on an
app or a Blueprint), and Starlette's `Route(path, endpoint)` / `WebSocketRoute(...)` in route lists, nested under
`Mount(path, routes=[...])`, a list given inline or by a name the module assigns."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from functions._platform.domains.code.model import Module
from functions._platform.domains.code.rules.contract import dotted, keyword, last_attr

STARLETTE_ROUTES = frozenset({"Route", "WebSocketRoute"})


@dataclass(frozen=True)
class RegisteredRoute:
    path: str  # as declared, under its Mounts' paths; a Blueprint's url_prefix is not applied
    handler: str  # the view's name: `index` for `views.index`, `ItemView` for `ItemView.as_view("items")`
    owner: str  # what `add_url_rule` is called on (`app`, `bp`); empty for a Starlette route
    methods: frozenset[str]
    line: int


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _handler(node: ast.AST | None) -> str:
    return dotted(node).replace(".as_view", "").rsplit(".", 1)[-1] if node is not None else ""


def _methods(call: ast.Call) -> frozenset[str]:
    listed = keyword(call, "methods")
    return frozenset(e.value.upper() for e in getattr(listed, "elts", []) if isinstance(e, ast.Constant)) or \
        frozenset({"GET"})


def _flask_rules(module: Module) -> list[RegisteredRoute]:
    found = []
    for call in ast.walk(module.tree):  # type: ignore[arg-type]
        if not (isinstance(call, ast.Call) and last_attr(call) == "add_url_rule" and isinstance(call.func, ast.Attribute)):
            continue
        rule = _text(call.args[0] if call.args else keyword(call, "rule"))
        view = keyword(call, "view_func") or (call.args[2] if len(call.args) > 2 else None)
        if rule is not None and _handler(view):
            found.append(RegisteredRoute(rule, _handler(view), dotted(call.func.value), _methods(call), call.lineno))
    return found


def _listed(module: Module, node: ast.AST | None) -> list[ast.expr]:
    """The elements of a route list: inline, or the list a module-level name is assigned."""
    if isinstance(node, ast.List | ast.Tuple):
        return list(node.elts)
    if isinstance(node, ast.Name):
        for statement in module.tree.body:  # type: ignore[union-attr]
            if (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.List | ast.Tuple)
                    and any(isinstance(t, ast.Name) and t.id == node.id for t in statement.targets)):
                return list(statement.value.elts)
    return []


def _children(module: Module, mount: ast.Call) -> list[ast.Call]:
    return [c for c in _listed(module, keyword(mount, "routes")) if isinstance(c, ast.Call)]


def _starlette(module: Module, call: ast.Call, prefix: str) -> list[RegisteredRoute]:
    path = _text(call.args[0] if call.args else keyword(call, "path"))
    if path is None:
        return []
    if last_attr(call) in STARLETTE_ROUTES:
        endpoint = keyword(call, "endpoint") or (call.args[1] if len(call.args) > 1 else None)
        return [RegisteredRoute(prefix + path, _handler(endpoint), "", _methods(call), call.lineno)] \
            if _handler(endpoint) else []
    return [route for child in _children(module, call) for route in _starlette(module, child, prefix + path.rstrip("/"))]


def registered_routes(module: Module) -> list[RegisteredRoute]:
    if module.tree is None:
        return []
    calls = [c for c in ast.walk(module.tree) if isinstance(c, ast.Call) and last_attr(c) in STARLETTE_ROUTES | {"Mount"}]
    nested = {id(child) for call in calls if last_attr(call) == "Mount" for child in _children(module, call)}
    return _flask_rules(module) + [route for call in calls if id(call) not in nested
                                   for route in _starlette(module, call, "")]
