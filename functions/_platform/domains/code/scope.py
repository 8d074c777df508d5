"""Narrowing a review: to the code behind an endpoint (Flask, FastAPI, Django urls, Express routes, and the
templates and project functions the handler uses), or to the functions a diff changed; either way with the
setup code of the apps that serve that code, whose flaws are app-wide."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from functions._platform.domains.code.app_setup import App, serving_apps
from functions._platform.domains.code.model import CodeIssue, Module, Project
from functions._platform.domains.code.route_calls import registered_routes
from functions._platform.domains.code.rules.contract import (
    call_name,
    dotted,
    functions,
    keyword,
    last_attr,
    route_decorator,
)

Ranges = list[tuple[int, int]] | None  # None: the whole file
PARAM = re.compile(r"<(?:[^:>]+:)?[^>]+>|\{[^}]+\}|:[A-Za-z_]\w*")
EXPRESS = re.compile(r"""\b(?:app|router|\w+Router)\.(get|post|put|patch|delete|all|use)\(\s*['"`]([^'"`]+)['"`]""")
DJANGO_PATHS = frozenset({"path", "re_path", "url"})


@dataclass
class Scope:
    files: dict[str, Ranges] = field(default_factory=dict)
    handlers: list[str] = field(default_factory=list)  # "file:function" behind the endpoint
    apps: list[App] = field(default_factory=list)  # the apps serving that code

    def add(self, path: str, ranges: Ranges) -> None:
        if path in self.files and self.files[path] is None:
            return
        if ranges is None:
            self.files[path] = None
        else:
            self.files[path] = sorted({*(self.files.get(path) or []), *ranges})

    def app_of(self, found: CodeIssue) -> App | None:
        """The app whose setup code holds the issue: an app-wide flaw, in scope with the code the app serves."""
        return next((app for app in self.apps if app.holds(found)), None)

    def covers(self, found: CodeIssue) -> bool:
        if self.app_of(found) is not None:
            return True
        if found.file not in self.files:
            return False
        ranges = self.files[found.file]
        return ranges is None or any(start <= found.line <= end for start, end in ranges)


def _normal(path: str) -> str:
    path = "/" + path.strip().split()[-1].split("?")[0].strip("/^$")
    return PARAM.sub("{}", path.rstrip("/")) or "/"


def path_matches(pattern: str, endpoint: str, suffix: bool = False) -> bool:
    wanted, declared = _normal(endpoint), _normal(pattern)
    if wanted == declared:
        return True
    regex = re.escape(declared).replace(r"\{\}", "[^/]+")
    return bool(re.fullmatch(("(?:/.*)?" if suffix else "") + regex, wanted))


def _prefixes(module: Module) -> dict[str, str]:
    """Blueprint / APIRouter name -> its url prefix, from this module."""
    prefixes = {}
    for node in ast.walk(module.tree):  # type: ignore[arg-type]
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and isinstance(node.targets[0], ast.Name)
                and last_attr(node.value) in ("Blueprint", "APIRouter")):
            prefix = keyword(node.value, "url_prefix") or keyword(node.value, "prefix")
            if isinstance(prefix, ast.Constant):
                prefixes[node.targets[0].id] = str(prefix.value)
    return prefixes


def _span(node: ast.AST) -> tuple[int, int]:
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])  # type: ignore
    return start, node.end_lineno or node.lineno  # type: ignore[attr-defined]


def _views(project: Project, module: Module, name: str) -> list[tuple[Module, ast.AST]]:
    """The top-level function or class a registered route names: the registering module's own, else the project's."""
    defined: list[tuple[Module, ast.AST]] = [
        (m, n) for m in project.python() for n in m.tree.body  # type: ignore[union-attr]
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and n.name == name]
    own = [(m, n) for m, n in defined if m is module]
    return own or defined


def _declared_routes(project: Project, module: Module) -> list[tuple[str, str, Module, ast.AST]]:
    """(owner, path, module, handler) of each route the module declares, by decorator or by registering call."""
    found: list[tuple[str, str, Module, ast.AST]] = []
    for func in functions(module.tree):  # type: ignore[arg-type]
        for decorator in func.decorator_list:
            route = route_decorator(decorator)
            if route is not None:
                found.append((call_name(decorator).split(".")[0], route[0], module, func))  # type: ignore[arg-type]
    for registered in registered_routes(module):
        found += [(registered.owner, registered.path, *view) for view in _views(project, module, registered.handler)]
    return found


def _segments(pattern: str) -> list[bool]:
    """Per path segment, whether it is a parameter."""
    return [segment == "{}" for segment in _normal(pattern).strip("/").split("/")]


def _literal_first(matched: list[tuple[str, Module, ast.AST]]) -> list[tuple[Module, ast.AST]]:
    """As Werkzeug routes Flask: of two declared paths of as many segments that both match, the one with a literal
    segment where the other has a parameter (the first place they differ) serves the endpoint."""
    kept = []
    for pattern, module, handler in matched:
        mine = _segments(pattern)
        if not any(len(other := _segments(p)) == len(mine) and other < mine for p, _, _ in matched):
            kept.append((module, handler))
    return kept


def _python_handlers(project: Project, endpoint: str) -> list[tuple[Module, ast.AST]]:
    matched, views = [], []
    for module in project.python():
        prefixes = _prefixes(module)
        for owner, path, where, handler in _declared_routes(project, module):
            for pattern, suffix in ((prefixes.get(owner, "") + path, False), (path, True)):
                if path_matches(pattern, endpoint, suffix):
                    matched.append((pattern, where, handler))
                    break
        if module.path.rsplit("/", 1)[-1].startswith("urls"):
            views.extend(_django_views(project, module, endpoint))
    unique = {(m.path, id(h)): (m, h) for m, h in _literal_first(matched) + views}
    return list(unique.values())


def _django_views(project: Project, urls: Module, endpoint: str) -> list[tuple[Module, ast.AST]]:
    names = set()
    for call in ast.walk(urls.tree):  # type: ignore[arg-type]
        if (isinstance(call, ast.Call) and last_attr(call) in DJANGO_PATHS and len(call.args) >= 2
                and isinstance(call.args[0], ast.Constant) and path_matches(str(call.args[0].value), endpoint, True)):
            view = call.args[1]
            names.add(dotted(view).replace(".as_view", "").split(".")[-1])
    return [(m, n) for m in project.python() for n in ast.walk(m.tree)  # type: ignore[arg-type]
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and n.name in names
            and n.col_offset == 0]


def endpoint_scope(project: Project, endpoint: str) -> Scope:
    scope = Scope()
    defined = {f.name: (m, f) for m in project.python() for f in functions(m.tree) if f.col_offset == 0}  # type: ignore
    handlers = _python_handlers(project, endpoint)
    scope.apps = serving_apps(project, handlers) if handlers else []
    for module, handler in handlers:
        scope.add(module.path, [_span(handler)])
        scope.handlers.append(f"{module.path}:{handler.name}")  # type: ignore[attr-defined]
        _add_handler_uses(scope, project, handler, defined)
    _add_express_routes(scope, project, endpoint)
    return scope


def _add_handler_uses(scope: Scope, project: Project, handler: ast.AST,
                      defined: dict[str, tuple[Module, ast.AST]]) -> None:
    """The templates the handler renders, and the project's top-level functions it calls."""
    for call in ast.walk(handler):
        if not isinstance(call, ast.Call):
            continue
        name = last_attr(call)
        if name in ("render_template", "render", "TemplateResponse"):
            _add_rendered_templates(scope, project, call)
        elif name in defined and defined[name][1] is not handler:
            callee_module, callee = defined[name]
            scope.add(callee_module.path, [_span(callee)])


def _add_rendered_templates(scope: Scope, project: Project, call: ast.Call) -> None:
    for arg in call.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            for template in project.templates():
                if template.path.endswith(arg.value):
                    scope.add(template.path, None)


def _add_express_routes(scope: Scope, project: Project, endpoint: str) -> None:
    """Whole JavaScript and TypeScript files with an Express route matching the endpoint."""
    for module in project.modules.values():
        if module.path.endswith((".js", ".ts", ".mjs")):
            for number, line in enumerate(module.lines, start=1):
                match = EXPRESS.search(line)
                if match and path_matches(match.group(2), endpoint):
                    scope.add(module.path, None)
                    scope.handlers.append(f"{module.path}:{number}")


def diff_scope(project: Project, changed: dict[str, set[int]]) -> Scope:
    """The functions holding changed lines (the whole file for templates and module-level changes)."""
    scope = Scope()
    handlers: list[tuple[Module, ast.AST]] = []
    for path, lines in changed.items():
        module = project.modules.get(path)
        if module is None:
            continue
        if module.tree is None:
            scope.add(path, None)
            continue
        touched = [f for f in functions(module.tree) if any(_span(f)[0] <= line <= _span(f)[1] for line in lines)]
        handlers.extend((module, f) for f in touched)
        loose = [line for line in lines if not any(_span(f)[0] <= line <= _span(f)[1] for f in touched)]
        scope.add(path, [_span(f) for f in touched] + [(line, line) for line in loose])
    scope.apps = serving_apps(project, handlers) if scope.files else []
    return scope
