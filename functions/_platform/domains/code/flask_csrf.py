"""Flask apps and their CSRF protection (Flask-WTF): each `Flask(...)` the project builds, at module level or in an
app factory; whether `CSRFProtect(app)` or `csrf.init_app(app)` protects it, wherever that call is made; where its
own setup turns the protection off (`WTF_CSRF_ENABLED = False`); and whether a handler it serves takes form writes."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from functools import partial

from functions._platform.domains.code.app_objects import Binding, Resolver, enclosing_function, statements
from functions._platform.domains.code.app_setup import object_app
from functions._platform.domains.code.model import Module
from functions._platform.domains.code.rules.contract import (
    WRITE_METHODS,
    dotted,
    functions,
    is_const,
    keyword,
    last_attr,
    route_decorator,
)

SWITCH = "WTF_CSRF_ENABLED"


def flask_apps(resolver: Resolver, module: Module) -> Iterator[tuple[ast.Assign, Binding]]:
    """`name = Flask(...)` statements of the module, in its body or an app factory's, with their bindings."""
    if "Flask(" not in module.text:
        return
    for node in ast.walk(module.tree):  # type: ignore[arg-type]
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and last_attr(node.value) == "Flask"
                and isinstance(node.targets[0], ast.Name)):
            bound = resolver.binding(module, node.targets[0].id, enclosing_function(module, node.lineno))
            if bound is not None and bound.line == node.lineno:
                yield node, bound


def _unbound_protectors(resolver: Resolver) -> set[str]:
    """Names given a `CSRFProtect()` made without an app, which an `init_app(app)` binds later."""
    return {target.id if isinstance(target, ast.Name) else target.attr
            for module in resolver.modules.values() for node in ast.walk(module.tree)  # type: ignore[arg-type]
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
            and last_attr(node.value) == "CSRFProtect"
            for target in node.targets if isinstance(target, ast.Name | ast.Attribute)}


def _loop_over(module: Module, name: str) -> set[str]:
    """The names a `for name in (a, b): ...` loop of the module goes over (`for ext in (db, csrf): ext.init_app(app)`)."""
    return {dotted(e).rsplit(".", 1)[-1] for loop in ast.walk(module.tree)  # type: ignore[arg-type]
            if isinstance(loop, ast.For) and isinstance(loop.target, ast.Name) and loop.target.id == name
            and isinstance(loop.iter, ast.Tuple | ast.List) for e in loop.iter.elts}


def _protecting_call(module: Module, call: ast.Call, protectors: set[str]) -> bool:
    if last_attr(call) == "CSRFProtect":
        return True
    if last_attr(call) != "init_app" or not isinstance(call.func, ast.Attribute):
        return False
    receiver = call.func.value
    if isinstance(receiver, ast.Call):
        return last_attr(receiver) == "CSRFProtect"
    name = dotted(receiver).rsplit(".", 1)[-1]
    return name in protectors or bool(_loop_over(module, name) & protectors)


def protected(resolver: Resolver, app: Binding) -> bool:
    """A CSRFProtect bound to this app, or to an app object the source does not tell (a parameter, `current_app`)."""
    protectors = _unbound_protectors(resolver)
    for module in resolver.modules.values():
        if "CSRFProtect" not in module.text and "init_app" not in module.text:
            continue
        for call in ast.walk(module.tree):  # type: ignore[arg-type]
            if not isinstance(call, ast.Call):
                continue
            given = call.args[0] if call.args else keyword(call, "app")
            if given is None or not _protecting_call(module, call, protectors):
                continue
            bound = resolver.binding(module, dotted(given), enclosing_function(module, call.lineno))
            if bound is None or bound == app:
                return True
    return False


def _loaded_classes(resolver: Resolver, app: Binding) -> set[str]:
    """Names of the config classes the app's `config.from_object(...)` calls load."""
    module = resolver.modules[app.module]
    names = set()
    for call in ast.walk(module.tree):  # type: ignore[arg-type]
        if isinstance(call, ast.Call) and last_attr(call) == "from_object" and call.args:
            target = call.args[0]
            text = target.value if isinstance(target, ast.Constant) and isinstance(target.value, str) else dotted(target)
            names.add(str(text).rsplit(".", 1)[-1])
    return names


def _switches_off(node: ast.AST) -> bool:
    """`WTF_CSRF_ENABLED = False`, `config["WTF_CSRF_ENABLED"] = False`, `config.update(WTF_CSRF_ENABLED=False)`
    or `{"WTF_CSRF_ENABLED": False}`."""
    if isinstance(node, ast.Assign) and is_const(node.value, False):
        return any(isinstance(t, ast.Name) and t.id == SWITCH or isinstance(t, ast.Subscript)
                   and isinstance(t.slice, ast.Constant) and t.slice.value == SWITCH for t in node.targets)
    if isinstance(node, ast.Call):
        return is_const(keyword(node, SWITCH), False)
    if isinstance(node, ast.Dict):
        return any(isinstance(k, ast.Constant) and k.value == SWITCH and is_const(v, False)
                   for k, v in zip(node.keys, node.values, strict=True))
    return False


def switched_off(resolver: Resolver, app: Binding, module: Module) -> list[ast.AST]:
    """Where this module, as part of the app's setup, turns its CSRF protection off; a config class counts only
    when the app loads it by name (a testing config beside the production one does not)."""
    spans = object_app(resolver, app).setup.get(module.path, [])
    loaded = _loaded_classes(resolver, app)
    skipped = [(c.lineno, c.end_lineno or c.lineno) for c in statements(module.tree.body)  # type: ignore[union-attr]
               if isinstance(c, ast.ClassDef) and c.name not in loaded]
    return [node for node in ast.walk(module.tree) if _switches_off(node)  # type: ignore[arg-type]
            and any(s <= node.lineno <= e for s, e in spans)  # type: ignore[attr-defined]
            and not any(s <= node.lineno <= e for s, e in skipped)]  # type: ignore[attr-defined]


def _served_routes(resolver: Resolver, module: Module) -> list[tuple[set[str], Callable[[], list[Binding]]]]:
    """(methods, the apps serving it, traced when asked) of each route the module declares, by decorator or by
    `add_url_rule`."""
    found: list[tuple[set[str], Callable[[], list[Binding]]]] = []
    for func in functions(module.tree):  # type: ignore[arg-type]
        routes = [r for r in map(route_decorator, func.decorator_list) if r is not None]
        if routes:
            found.append(({m for r in routes for m in r[1]}, partial(resolver.handler_apps, module, func)))
    return found + [(set(r.methods), partial(resolver.route_apps, module, r)) for r in resolver.routes(module)]


def takes_form_writes(resolver: Resolver, app: Binding) -> bool:
    """A write route the app serves, or `request.form` read in a module whose routes it serves (in any module
    whose routes are traced to no app, since those could be its own)."""
    for module in resolver.modules.values():
        routes = _served_routes(resolver, module)
        for methods, serving in routes:
            if methods & WRITE_METHODS and ((apps := serving()) and app in apps
                                            or not apps and "flask" in module.text.lower()):
                return True
        if "request.form" in module.text:
            served = {bound for _, serving in routes for bound in serving()}
            if app in served or not served:
                return True
    return False
