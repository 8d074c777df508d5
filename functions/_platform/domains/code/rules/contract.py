"""The rule interface and the AST helpers rules share."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Protocol

from functions._platform.domains.code.model import Category, CodeIssue, Edit, Module, Project

ROUTE_METHODS = frozenset({"route", "get", "post", "put", "delete", "patch", "api_route", "websocket"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Rule(Protocol):
    name: str
    category: Category

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        """Issues in one module; `project` gives the rest of the source (models, settings, templates)."""


def dotted(node: ast.AST) -> str:
    """`a.b.c` for a Name/Attribute chain; calls in the chain are skipped (`a.b().c` -> `a.b.c`)."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            break
        else:
            break
    return ".".join(reversed(parts))


def call_name(call: ast.Call) -> str:
    return dotted(call.func)


def imported_names(tree: ast.AST | None) -> dict[str, str]:
    """Each name an import binds, to the dotted name it stands for: `import pickle as pk` gives pk -> pickle,
    `from pickle import loads as l` gives l -> pickle.loads."""
    names: dict[str, str] = {}
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def qualified_name(call: ast.Call, imported: dict[str, str]) -> str:
    """`call_name` with its first part read through the module's imports (`imported_names`)."""
    name = call_name(call)
    head, _, rest = name.partition(".")
    return f"{imported[head]}.{rest}".rstrip(".") if head in imported else name


def last_attr(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def is_const(node: ast.AST | None, value: object) -> bool:
    return isinstance(node, ast.Constant) and node.value is value


def dynamic_string(node: ast.AST | None) -> bool:
    """A string built from values at run time: an f-string with fields, `%` or `+` on a literal, `.format()`."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        sides = (node.left, node.right)
        has_literal = any(isinstance(s, ast.Constant) and isinstance(s.value, str) or dynamic_string(s)
                          for s in sides)
        return has_literal and not all(isinstance(s, ast.Constant) for s in sides)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return isinstance(node.func.value, ast.Constant) and bool(node.args or node.keywords)
    return False


def literal(node: ast.AST | None, constants: dict[str, bool]) -> bool:
    """A string fixed in the source: a constant, an f-string without fields, or a name only ever given one."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) for v in node.values)
    if isinstance(node, ast.List | ast.Tuple):
        return all(literal(e, constants) for e in node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return literal(node.left, constants) and literal(node.right, constants)
    return isinstance(node, ast.Name) and constants.get(node.id, False)


def constant_names(func: ast.AST) -> dict[str, bool]:
    """name -> whether every assignment to it in the function is a literal."""
    seen: dict[str, bool] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    seen[target.id] = seen.get(target.id, True) and literal(node.value, {})
        elif isinstance(node, ast.AugAssign | ast.AnnAssign | ast.For | ast.With | ast.arg):
            names = [node.arg] if isinstance(node, ast.arg) else [
                n.id for n in ast.walk(getattr(node, "target", None) or node) if isinstance(n, ast.Name)
                and isinstance(n.ctx, ast.Store)]
            for name in names:
                seen[name] = False
    return seen


def char_col(module: Module, line: int, col: int) -> int:
    """ast columns count UTF-8 bytes; edits count characters."""
    text = module.lines[line - 1] if line - 1 < len(module.lines) else ""
    return len(text.encode()[:col].decode(errors="ignore"))


def node_edit(module: Module, node: ast.AST, text: str) -> Edit:
    return Edit(node.lineno, char_col(module, node.lineno, node.col_offset),  # type: ignore[attr-defined]
                node.end_lineno, char_col(module, node.end_lineno, node.end_col_offset), text)  # type: ignore


def source(module: Module, node: ast.AST) -> str:
    return ast.get_source_segment(module.text, node) or ""


def functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def own_nodes(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """The nodes of a function's body that run when it runs: not those of functions, lambdas or classes
    defined inside it, which run when (and where) they are called."""
    stack: list[ast.AST] = [*func.body]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(node))


def enclosing(tree: ast.AST | None, line: int) -> str:
    best, best_span = "", None
    for func in functions(tree) if tree is not None else ():
        if func.lineno <= line <= (func.end_lineno or func.lineno):
            span = (func.end_lineno or func.lineno) - func.lineno
            if best_span is None or span < best_span:
                best, best_span = func.name, span
    return best


def route_decorator(decorator: ast.expr) -> tuple[str, set[str]] | None:
    """(path, methods) of a Flask/FastAPI route decorator, else None."""
    if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
        return None
    method = decorator.func.attr
    if method not in ROUTE_METHODS or not decorator.args:
        return None
    path = decorator.args[0]
    if not (isinstance(path, ast.Constant) and isinstance(path.value, str)):
        return None
    if method in ("route", "api_route"):
        listed = keyword(decorator, "methods")
        methods = {e.value.upper() for e in getattr(listed, "elts", []) if isinstance(e, ast.Constant)}
        return path.value, methods or {"GET"}
    return path.value, {method.upper()}


def is_route_handler(func: ast.AST, module: Module) -> bool:
    if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    if any(route_decorator(d) for d in func.decorator_list):
        return True
    # a Django view: a function in a views module whose first argument is the request
    args = func.args.args
    return module.path.rsplit("/", 1)[-1].startswith("views") and bool(args) and args[0].arg == "request"


def loops(tree: ast.AST) -> Iterator[ast.For | ast.AsyncFor | ast.comprehension]:
    for node in ast.walk(tree):
        if isinstance(node, ast.For | ast.AsyncFor):
            yield node
        elif isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            yield from node.generators


def target_names(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def issue(rule: Rule, module: Module, node: ast.AST, severity: str, message: str, cwe: str | None,
          **extra: object) -> CodeIssue:
    line = node.lineno  # type: ignore[attr-defined]
    return CodeIssue(rule=rule.name, category=rule.category, file=module.path, line=line,
                     severity=severity, message=message, cwe=cwe,  # type: ignore[arg-type]
                     symbol=enclosing(module.tree, line), **extra)  # type: ignore[arg-type]
