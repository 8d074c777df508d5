"""The app object a Flask or FastAPI handler is served by: its route decorator's object is traced to the
`Flask(...)`/`FastAPI(...)` it is bound to, through imports and app factories (`app = create_app()`), and a
Blueprint or APIRouter to the apps whose `register_blueprint`/`include_router` calls mount it; a view registered
with `add_url_rule` through the object the call is made on."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from functions._platform.domains.code.model import Module, Project
from functions._platform.domains.code.route_calls import RegisteredRoute, registered_routes
from functions._platform.domains.code.rules.contract import call_name, dotted, last_attr, route_decorator

APP_CLASSES = frozenset({"Flask", "Quart", "FastAPI", "Starlette", "Sanic"})
ROUTER_CLASSES = frozenset({"Blueprint", "APIRouter"})
MOUNTS = frozenset({"register_blueprint", "include_router"})
MAX_HOPS = 8
Span = tuple[int, int]
Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Binding:
    """A name bound to an app or router object: where, and by which class (`Flask`, `APIRouter`...)."""

    module: str
    name: str
    line: int
    built_by: str
    factory: str = ""  # the function that builds it, when an app factory does


def statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run when the body runs, in compound statements too; not the bodies of nested defs or classes."""
    for node in body:
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for child in bodies(node):
                yield from statements(child)


def bodies(node: ast.AST) -> list[list[ast.stmt]]:
    lists = [getattr(node, name) for name in ("body", "orelse", "finalbody") if isinstance(getattr(node, name, None),
                                                                                          list)]
    return lists + [handler.body for handler in getattr(node, "handlers", [])]


def _assigns_call(node: ast.stmt, name: str) -> bool:
    """`name = SomeCall(...)` (or annotated)."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign):
        targets = [node.target]
    else:
        return False
    return isinstance(node.value, ast.Call) and any(isinstance(t, ast.Name) and t.id == name for t in targets)


def setup_spans(body: list[ast.stmt]) -> list[Span]:
    """Line spans of a body's statements, leaving out the functions defined in it (handlers, helpers)."""
    spans: list[Span] = []
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) for n in ast.walk(node)):
            for child in bodies(node):
                spans.extend(setup_spans(child))
        else:
            spans.append((node.lineno, node.end_lineno or node.lineno))
    return spans


def enclosing_function(module: Module, line: int, exclude: ast.AST | None = None) -> Function | None:
    best = None
    for node in ast.walk(module.tree):  # type: ignore[arg-type]
        if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node is not exclude
                and node.lineno <= line <= (node.end_lineno or node.lineno)
                and (best is None or node.lineno > best.lineno)):
            best = node
    return best


class Resolver:
    def __init__(self, project: Project):
        self.project = project
        self.modules = {m.path: m for m in project.python()}
        self._routes: dict[str, list[RegisteredRoute]] = {}

    def routes(self, module: Module) -> list[RegisteredRoute]:
        """The routes a module registers by call (`add_url_rule`, Starlette's `Route`), read once."""
        if module.path not in self._routes:
            self._routes[module.path] = registered_routes(module)
        return self._routes[module.path]

    def module_for(self, importer: str, name: str, level: int = 0) -> Module | None:
        """The project module an import names (`pkg.app`, or `.app` from `importer`)."""
        parts = [p for p in name.split(".") if p]
        if level:
            package = importer.split("/")[:-1]
            if level - 1 > len(package):
                return None
            parts = package[:len(package) - (level - 1)] + parts
        stem = "/".join(parts)
        for candidate in (f"{stem}.py", f"{stem}/__init__.py"):
            if candidate in self.modules:
                return self.modules[candidate]
        if not level and stem:  # a repository whose import root is a subdirectory (`src/`)
            for candidate in (f"/{stem}.py", f"/{stem}/__init__.py"):
                matches = [m for path, m in self.modules.items() if path.endswith(candidate)]
                if len(matches) == 1:
                    return matches[0]
        return None

    def binding(self, module: Module, name: str, within: Function | None = None, hops: int = 0) -> Binding | None:
        """The app or router object `name` refers to in `module` (inside function `within`, when given)."""
        if hops > MAX_HOPS or module.tree is None:
            return None
        if "." in name:
            head, attr = name.split(".", 1)
            target = self._imported_module(module, head)
            return self.binding(target, attr, None, hops + 1) if target else None
        scopes = ([within] if within else []) + [None]
        for func in scopes:
            for node in statements(func.body if func else module.tree.body):
                if _assigns_call(node, name):
                    found = self._from_call(module, name, node, node.value, func, hops)  # type: ignore[attr-defined]
                    if found:
                        return found
        for func in scopes:
            for node in statements(func.body if func else module.tree.body):
                if isinstance(node, ast.ImportFrom):
                    for alias in node.names:
                        if (alias.asname or alias.name) == name:
                            target = self.module_for(module.path, node.module or "", node.level)
                            return self.binding(target, alias.name, None, hops + 1) if target else None
        return None

    def _imported_module(self, module: Module, name: str) -> Module | None:
        for node in statements(module.tree.body):  # type: ignore[union-attr]
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if (alias.asname or alias.name) == name:
                        return self.module_for(module.path, alias.name)
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if (alias.asname or alias.name) == name:
                        return self.module_for(module.path, f"{node.module or ''}.{alias.name}", node.level)
        return None

    def _from_call(self, module: Module, name: str, node: ast.stmt, call: ast.Call, func: Function | None,
                   hops: int) -> Binding | None:
        built_by = last_attr(call)
        if built_by in APP_CLASSES | ROUTER_CLASSES:
            return Binding(module.path, name, node.lineno, built_by, func.name if func else "")
        factory = self.function(module, call_name(call), hops + 1)  # `app = create_app()`
        if factory is None:
            return None
        where, built = factory
        for returned in ast.walk(built):
            if isinstance(returned, ast.Return) and isinstance(returned.value, ast.Name):
                return self.binding(where, returned.value.id, built, hops + 1)
        return None

    def function(self, module: Module, name: str, hops: int = 0) -> tuple[Module, Function] | None:
        if hops > MAX_HOPS or not name or "." in name:
            return None
        for node in module.tree.body:  # type: ignore[union-attr]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
                return module, node
        for node in statements(module.tree.body):  # type: ignore[union-attr]
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if (alias.asname or alias.name) == name:
                        target = self.module_for(module.path, node.module or "", node.level)
                        return self.function(target, alias.name, hops + 1) if target else None
        return None

    def apps_of(self, bound: Binding, hops: int = 0) -> list[Binding]:
        """The app objects a binding ends in: itself for an app, the apps that mount it for a router."""
        if bound.built_by in APP_CLASSES:
            return [bound]
        if hops > MAX_HOPS:
            return []
        found = []
        for module in self.modules.values():
            for call in ast.walk(module.tree):  # type: ignore[arg-type]
                if not (isinstance(call, ast.Call) and last_attr(call) in MOUNTS and call.args
                        and isinstance(call.func, ast.Attribute)):
                    continue
                within = enclosing_function(module, call.lineno)
                if self.binding(module, dotted(call.args[0]), within, hops + 1) != bound:
                    continue
                mounting = self.binding(module, dotted(call.func.value), within, hops + 1)
                if mounting is not None and mounting != bound:
                    found.extend(self.apps_of(mounting, hops + 1))
        return list(dict.fromkeys(found))

    def handler_apps(self, module: Module, handler: ast.AST) -> list[Binding]:
        """The apps serving a handler: through its route decorators, and the `add_url_rule` calls naming it."""
        within = enclosing_function(module, handler.lineno, exclude=handler)  # type: ignore[attr-defined]
        found = []
        for decorator in getattr(handler, "decorator_list", []):
            if route_decorator(decorator) is not None:
                bound = self.binding(module, dotted(decorator.func.value), within)
                found.extend(self.apps_of(bound) if bound else [])
        for other in self.modules.values():
            for route in self.routes(other):
                if route.owner and route.handler == getattr(handler, "name", None):
                    found.extend(self.route_apps(other, route))
        return list(dict.fromkeys(found))

    def route_apps(self, module: Module, route: RegisteredRoute) -> list[Binding]:
        """The apps serving a route registered by a call on an app or a Blueprint (`app.add_url_rule`)."""
        bound = self.binding(module, route.owner, enclosing_function(module, route.line)) if route.owner else None
        return self.apps_of(bound) if bound else []
