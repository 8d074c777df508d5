"""The applications that serve some code, each with the code that sets it up: for Flask and FastAPI the module
defining the app object, the factory that builds it and the config object it loads; for Django the settings
whose ROOT_URLCONF routes to the view. App-wide flaws (CSRF protection off, debug on, a secret in the source)
live there, in no handler's own code."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from functions._platform.domains.code.app_objects import (
    APP_CLASSES,
    Binding,
    Resolver,
    Span,
    enclosing_function,
    setup_spans,
    statements,
)
from functions._platform.domains.code.model import CodeIssue, Module, Project
from functions._platform.domains.code.rules.contract import call_name, dotted, last_attr

DJANGO_ROUTES = frozenset({"path", "re_path", "url"})
SETTINGS_NAMES = frozenset({"ROOT_URLCONF", "MIDDLEWARE", "MIDDLEWARE_CLASSES", "INSTALLED_APPS"})


@dataclass
class App:
    label: str  # `app.py:14 (Flask)`, `settings.py (Django settings)`
    setup: dict[str, list[Span]] = field(default_factory=dict)  # path -> line spans of the code setting it up

    def holds(self, issue: CodeIssue) -> bool:
        return any(start <= issue.line <= end for start, end in self.setup.get(issue.file, ()))


def object_app(resolver: Resolver, bound: Binding) -> App:
    """The app a Flask/FastAPI object binding stands for, with its setup: the module, the factory, the config."""
    module = resolver.modules[bound.module]
    bodies = [module.tree.body]  # type: ignore[union-attr]
    factory = next((f for f in ast.walk(module.tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)  # type: ignore[arg-type]
                    and f.name == bound.factory), None) if bound.factory else None
    if factory is not None:
        bodies.append(factory.body)
    app = App(f"{bound.module}:{bound.line} ({bound.built_by})", {module.path: [s for b in bodies for s in setup_spans(b)]})
    for body in bodies:
        for config in _config_objects(resolver, module, body):
            app.setup.setdefault(config.path, []).extend(setup_spans(config.tree.body))  # type: ignore[union-attr]
    return app


def _config_objects(resolver: Resolver, module: Module, body: list[ast.stmt]) -> list[Module]:
    """The modules holding what `app.config.from_object(...)` loads (a class, a module, or its dotted name)."""
    found = []
    for node in statements(body):
        for call in ast.walk(node):
            if not (isinstance(call, ast.Call) and last_attr(call) == "from_object" and call.args):
                continue
            target = call.args[0]
            if isinstance(target, ast.Constant) and isinstance(target.value, str):
                named = resolver.module_for(module.path, target.value) or resolver.module_for(
                    module.path, target.value.rsplit(".", 1)[0])
            else:
                named = _defining_module(resolver, module, dotted(target))
            if named is not None:
                found.append(named)
    return found


def _defining_module(resolver: Resolver, module: Module, name: str) -> Module | None:
    head = name.split(".")[0]
    for node in statements(module.tree.body):  # type: ignore[union-attr]
        if isinstance(node, ast.ClassDef) and node.name == head:
            return module
        if isinstance(node, ast.ImportFrom | ast.Import):
            alias = _alias_binding(node, head)
            if alias is not None:
                return _imported_module(resolver, module, node, alias)
    return None


def _alias_binding(node: ast.Import | ast.ImportFrom, head: str) -> ast.alias | None:
    """The first name the import binds as `head`."""
    return next((a for a in node.names if (a.asname or a.name) == head), None)


def _imported_module(resolver: Resolver, module: Module, node: ast.Import | ast.ImportFrom,
                     alias: ast.alias) -> Module | None:
    """The module the alias comes from: for `from m import x`, `m.x` if that is a module, else `m`; for `import m`, `m`."""
    if isinstance(node, ast.ImportFrom):
        return resolver.module_for(module.path, f"{node.module or ''}.{alias.name}", node.level) or \
            resolver.module_for(module.path, node.module or "", node.level)
    return resolver.module_for(module.path, alias.name)


def _top_assignments(module: Module) -> dict[str, ast.expr]:
    return {t.id: node.value for node in statements(module.tree.body) if isinstance(node, ast.Assign)  # type: ignore
            for t in node.targets if isinstance(t, ast.Name)}


def _is_settings(module: Module) -> bool:
    return bool(SETTINGS_NAMES & set(_top_assignments(module)))


def _included(resolver: Resolver, urls: Module) -> list[Module]:
    """The urls modules that `include(...)` calls in `urls` mount, by dotted name or imported module."""
    found = []
    for call in ast.walk(urls.tree):  # type: ignore[arg-type]
        if isinstance(call, ast.Call) and last_attr(call) == "include" and call.args:
            target = call.args[0]
            if isinstance(target, ast.Tuple | ast.List) and target.elts:
                target = target.elts[0]
            named = resolver.module_for(urls.path, target.value) if isinstance(target, ast.Constant) and isinstance(
                target.value, str) else _defining_module(resolver, urls, dotted(target))
            if named is not None:
                found.append(named)
    return found


def _star_closure(resolver: Resolver, seeds: list[Module]) -> list[Module]:
    """Settings split over modules: those the seeds `import *` from, and those that `import *` from them."""
    stars = {path: [t for n in statements(m.tree.body) if isinstance(n, ast.ImportFrom)  # type: ignore[union-attr]
                    and any(a.name == "*" for a in n.names)
                    and (t := resolver.module_for(path, n.module or "", n.level)) is not None]
             for path, m in resolver.modules.items()}
    chosen = {m.path for m in seeds}
    while True:
        more = {t.path for p in chosen for t in stars[p]} | {p for p, ts in stars.items() if any(t.path in chosen
                                                                                                   for t in ts)}
        if more <= chosen:
            return [resolver.modules[p] for p in sorted(chosen)]
        chosen |= more


def _settings_app(modules: list[Module]) -> App:
    label = ", ".join(m.path for m in modules) + " (Django settings)"
    return App(label, {m.path: setup_spans(m.tree.body) for m in modules})  # type: ignore[union-attr]


def django_settings(resolver: Resolver, urls: list[Module]) -> list[Module]:
    """The settings serving these urls modules: those whose ROOT_URLCONF reaches one of them through include();
    every settings module when none names its ROOT_URLCONF so."""
    settings = [m for m in resolver.modules.values() if _is_settings(m)]
    chosen = []
    for module in settings:
        root = _top_assignments(module).get("ROOT_URLCONF")
        start = resolver.module_for(module.path, root.value) if isinstance(root, ast.Constant) and isinstance(
            root.value, str) else None
        seen, todo = set(), [start] if start else []
        while todo:
            current = todo.pop()
            if current.path not in seen:
                seen.add(current.path)
                todo.extend(_included(resolver, current))
        if seen & {u.path for u in urls}:
            chosen.append(module)
    return _star_closure(resolver, chosen or settings) if urls else []


def _routes_to(urls: Module, view: str) -> bool:
    for call in ast.walk(urls.tree):  # type: ignore[arg-type]
        if isinstance(call, ast.Call) and last_attr(call) in DJANGO_ROUTES and len(call.args) >= 2:
            named = call_name(call.args[1]) if isinstance(call.args[1], ast.Call) else dotted(call.args[1])
            if named.replace(".as_view", "").split(".")[-1] == view:
                return True
    return False


def serving_apps(project: Project, handlers: list[tuple[Module, ast.AST]]) -> list[App]:
    """The apps that serve these handlers; the project's one app when they cannot be traced to any."""
    resolver = Resolver(project)
    bound: list[Binding] = []
    urls: list[Module] = []
    for module, handler in handlers:
        bound.extend(resolver.handler_apps(module, handler))
        name = getattr(handler, "name", "")
        urls.extend(m for m in resolver.modules.values() if m.path.rsplit("/", 1)[-1].startswith("urls")
                    and name and _routes_to(m, name) and m not in urls)
    apps = [object_app(resolver, b) for b in dict.fromkeys(bound)]
    settings = django_settings(resolver, urls)
    apps += [_settings_app(settings)] if settings else []
    if apps:
        return apps
    everything = project_apps(project)
    return everything if len(everything) == 1 else []


def project_apps(project: Project) -> list[App]:
    """Every app object the project builds, and each Django site's settings."""
    resolver = Resolver(project)
    found = []
    for module in resolver.modules.values():
        for node in ast.walk(module.tree):  # type: ignore[arg-type]
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and isinstance(node.targets[0], ast.Name)
                    and last_attr(node.value) in APP_CLASSES):
                factory = enclosing_function(module, node.lineno)
                found.append(object_app(resolver, Binding(module.path, node.targets[0].id, node.lineno,
                                                           last_attr(node.value), factory.name if factory else "")))
    groups: list[list[Module]] = []  # one site per ROOT_URLCONF, with the settings split off it
    for module in [m for m in resolver.modules.values() if _is_settings(m)]:
        if not any(module in group for group in groups):
            groups.append(_star_closure(resolver, [module]))
    return found + [_settings_app(group) for group in groups]
