"""path_traversal (CWE-22): a file is opened, listed, written or removed at a path that comes from a request
(a route or MCP tool handler's parameters, Flask/Django/Starlette request data) with no check that it stays
inside the directory meant; and a helper that joins one of its parameters under a base directory and hands the
result back unchecked (its callers are then checked through it). A function that resolves the path and compares
it with its base (`realpath`/`resolve` with `startswith`/`commonpath`/`is_relative_to`), or rejects `..`, is
taken as checked. No mechanical fix: the suggestion is to resolve and compare."""

from __future__ import annotations

import ast

from functions._platform.domains.code.model import CodeIssue, Fix, Module, Project
from functions._platform.domains.code.rules.contract import (
    call_name,
    functions,
    is_route_handler,
    issue,
    last_attr,
)

FILE_CALLS = frozenset({
    "open", "io.open", "codecs.open", "os.open", "aiofiles.open", "os.remove", "os.unlink", "os.rmdir",
    "os.removedirs", "os.listdir", "os.scandir", "os.walk", "os.makedirs", "os.mkdir", "os.rename", "os.replace",
    "os.chmod", "shutil.rmtree", "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree",
    "shutil.move", "send_file", "flask.send_file", "FileResponse", "tarfile.open", "zipfile.ZipFile"})
PATH_METHODS = frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "unlink", "rmdir", "iterdir",
                          "mkdir", "touch"})  # not rename/replace: str has them too
SANITISERS = frozenset({"basename", "secure_filename", "int", "float", "bool", "len", "uuid4", "quote"})
RESOLVERS = frozenset({"realpath", "abspath", "resolve", "normpath"})
COMPARERS = frozenset({"startswith", "commonpath", "is_relative_to", "relative_to"})
NOT_INPUT = frozenset({"self", "cls", "request", "req", "ctx", "context", "db", "session", "background_tasks"})
REQUEST_DATA = frozenset({"args", "form", "values", "json", "files", "cookies", "headers", "GET", "POST", "FILES",
                          "data", "get_json", "query_params", "path_params", "view_args", "body"})
TOOL_DECORATORS = ("tool", "resource", "prompt")
NOT_PATHS = frozenset({"int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date"})
DEPENDENCIES = frozenset({"Depends", "Security"})


def checked(func: ast.AST) -> bool:
    attrs = {last_attr(n) for n in ast.walk(func) if isinstance(n, ast.Call)}
    rejects_dots = any(isinstance(n, ast.Compare) and isinstance(n.left, ast.Constant) and n.left.value == ".."
                       for n in ast.walk(func))
    return bool(attrs & RESOLVERS and attrs & COMPARERS) or rejects_dots


def is_handler(func: ast.FunctionDef | ast.AsyncFunctionDef, module: Module) -> bool:
    tool = any(call_name(d).rsplit(".", 1)[-1] in TOOL_DECORATORS if isinstance(d, ast.Call) else
               isinstance(d, ast.Attribute) and d.attr in TOOL_DECORATORS for d in func.decorator_list)
    return tool or is_route_handler(func, module)


def handler_params(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Parameters that can hold a path: not `self`/`request`/dependencies, not typed as numbers or flags."""
    args = [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]
    defaults = dict(zip([a.arg for a in func.args.args][::-1], func.args.defaults[::-1], strict=False))
    defaults.update({a.arg: d for a, d in zip(func.args.kwonlyargs, func.args.kw_defaults, strict=True) if d})
    return {a.arg for a in args if a.arg not in NOT_INPUT
            and not (a.annotation is not None and ast.unparse(a.annotation) in NOT_PATHS)
            and not (isinstance(defaults.get(a.arg), ast.Call) and last_attr(defaults[a.arg]) in DEPENDENCIES)}


def _join(node: ast.AST) -> list[ast.expr] | None:
    """The parts joined after the base, for `os.path.join(base, ...)` and `Path(base) / part`."""
    if isinstance(node, ast.Call) and call_name(node) in ("os.path.join", "posixpath.join", "join") \
            and len(node.args) > 1:
        return node.args[1:]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left = node.left
        if isinstance(left, ast.Call) and last_attr(left) in ("Path", "PurePath") or \
                isinstance(left, ast.Name | ast.Attribute) and ast.unparse(left).lower().endswith(
                    ("dir", "root", "path", "base", "folder")):
            return [node.right]
    return None


class Taint:
    """Names in one function that hold request data (flow-insensitive, to a fixed point)."""

    def __init__(self, func: ast.AST, seeds: set[str], joiners: set[str], params: set[str]):
        self.names, self.joiners, self.params = set(seeds), joiners, params
        changed = True
        while changed:
            changed = False
            for node in ast.walk(func):
                value = getattr(node, "value", None) if isinstance(node, ast.Assign | ast.AnnAssign) else None
                targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
                if isinstance(node, ast.withitem):
                    value, targets = node.context_expr, [node.optional_vars]
                if value is None or not self.carries(value):
                    continue
                for target in targets:
                    for name in (n.id for n in ast.walk(target) if isinstance(n, ast.Name)) if target else ():
                        if name not in self.names:
                            self.names.add(name)
                            changed = True

    def carries(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.names
        if isinstance(node, ast.Call):
            if last_attr(node) in SANITISERS:
                return False
            if last_attr(node) in self.joiners and any(
                    isinstance(n, ast.Name) and (n.id in self.params or n.id in self.names)
                    for a in node.args for n in ast.walk(a)):
                return True
        if isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
            parts = ast.unparse(node).split(".")
            if parts[0] == "request" and len(parts) > 1 and parts[1].split("(")[0].split("[")[0] in REQUEST_DATA:
                return True
        if isinstance(node, ast.Subscript):
            return self.carries(node.value)  # a fixed table looked up by a request value holds fixed values
        return any(self.carries(child) for child in ast.iter_child_nodes(node))


def _called_with_values(project: Project) -> set[str]:
    """Names of the functions that some call in the project passes a value that is not a literal."""
    return {last_attr(n) for m in project.python() for n in ast.walk(m.tree) if isinstance(n, ast.Call)
            and any(not isinstance(a, ast.Constant) for a in n.args)}


def joiners(project: Project) -> dict[str, tuple[Module, ast.AST, ast.AST]]:
    """Functions returning a parameter joined under a base, unchecked, and called with values from elsewhere:
    name -> (module, function, join)."""
    found: dict[str, tuple[Module, ast.AST, ast.AST]] = {}
    called = _called_with_values(project)
    for module in project.python():
        for func in functions(module.tree):
            if checked(func) or func.name not in called:
                continue
            params = handler_params(func)
            for join in _returned_joins(func):
                if any(isinstance(n, ast.Name) and n.id in params for p in _join(join) or () for n in ast.walk(p)):
                    found[func.name] = (module, func, join)
    return found


def _returned_joins(func: ast.AST) -> list[ast.AST]:
    """The path joins the function returns: `return join(...)`, or a name assigned a join and returned."""
    returned = {r.value.id for r in ast.walk(func) if isinstance(r, ast.Return) and isinstance(r.value, ast.Name)}

    def kept(node: ast.AST) -> bool:
        return isinstance(node, ast.Return) or isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in returned for t in node.targets)

    return [node.value for node in ast.walk(func)
            if kept(node) and node.value is not None and _join(node.value)]


class PathTraversal:
    name = "path_traversal"
    category = "security"

    def __init__(self) -> None:
        self._helpers: tuple[int, dict] = (0, {})

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        if self._helpers[0] != id(project):
            self._helpers = (id(project), joiners(project))
        helpers = self._helpers[1]
        found: list[CodeIssue] = []
        for name, (where, func, join) in helpers.items():
            if where is module:
                found.append(self._issue(module, join, f"{name}() joins a parameter under a base directory and "
                                         "returns it unchecked: `../` walks out of the base"))
        for func in functions(module.tree) if module.tree else ():
            if checked(func):
                continue
            seeds = handler_params(func) if is_handler(func, module) else set()
            taint = Taint(func, seeds, set(helpers), handler_params(func))
            for call in ast.walk(func):
                if isinstance(call, ast.Call) and self._sink(call, taint):
                    found.append(self._issue(module, call, f"{call_name(call) or last_attr(call)}() on a path "
                                             "that comes from the request, with no check that it stays in its "
                                             "directory"))
        lines, kept = set(), []
        for hit in found:
            if hit.line not in lines:
                lines.add(hit.line)
                kept.append(hit)
        return kept

    @staticmethod
    def _sink(call: ast.Call, taint: Taint) -> bool:
        name = call_name(call)
        path = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in ("file", "path")),
                                                   None)
        if name in FILE_CALLS and path is not None:
            return taint.carries(path)
        if last_attr(call) in PATH_METHODS and isinstance(call.func, ast.Attribute):
            return taint.carries(call.func.value)
        cwd = next((k.value for k in call.keywords if k.arg == "cwd"), None)
        return cwd is not None and taint.carries(cwd)

    def _issue(self, module: Module, node: ast.AST, message: str) -> CodeIssue:
        hit = issue(self, module, node, "high", message, "CWE-22")
        hit.fix = Fix("Resolve the path (os.path.realpath / Path.resolve) and refuse it unless it is inside the "
                      "base directory (os.path.commonpath([base, path]) == base, or Path.is_relative_to); or "
                      "serve files with send_from_directory / werkzeug.utils.safe_join.", "medium")
        return hit
