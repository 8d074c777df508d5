"""sql_injection (CWE-89): a query string built from values (f-string, `%`, `+`, `.format`) passed to
`execute`/`executemany`/`raw`/`text`, reported at the line that builds it (the call, or the assignment of the
string it is given). Fix: the values become bound parameters."""

from __future__ import annotations

import ast

from functions._platform.domains.code.model import CodeIssue, Fix, Module, Project
from functions._platform.domains.code.rules.contract import (
    dynamic_string,
    functions,
    issue,
    last_attr,
    node_edit,
    source,
)

SINKS = frozenset({"execute", "executemany", "executescript", "raw", "text", "exec_driver_sql"})


def _assigned_string(func: ast.AST, name: str, before: int) -> ast.Assign | None:
    found = None
    for node in ast.walk(func):
        if (isinstance(node, ast.Assign) and node.lineno < before and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name
                and (found is None or node.lineno > found.lineno)):
            found = node
    return found if found is not None and dynamic_string(found.value) else None


def _imports(module: Module) -> set[str]:
    """The top-level packages the module imports."""
    tops = set()
    for node in ast.walk(module.tree) if module.tree else ():
        if isinstance(node, ast.Import):
            tops |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            tops.add(node.module.split(".")[0])
    return tops


def _placeholder_style(module: Module, call: ast.Call) -> str:
    """`:name` for SQLAlchemy text(); `%s` for Django (raw() and its cursors take it on every backend);
    `?` for the sqlite3 driver; `%s` for the other DB-API drivers."""
    if last_attr(call) == "text":
        return "named"
    imported = _imports(module)
    if last_attr(call) == "raw" or "django" in imported:
        return "format"
    return "qmark" if "sqlite3" in imported else "format"


def _split(node: ast.expr) -> tuple[list[str], list[ast.expr]] | None:
    """Literal pieces and the values between them, for f-strings and `literal % values`."""
    if isinstance(node, ast.JoinedStr):
        pieces, values = [""], []
        for part in node.values:
            if isinstance(part, ast.Constant):
                pieces[-1] += str(part.value)
            elif isinstance(part, ast.FormattedValue) and part.conversion == -1 and part.format_spec is None:
                values.append(part.value)
                pieces.append("")
            else:
                return None
        return pieces, values
    if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)):
        values = list(node.right.elts) if isinstance(node.right, ast.Tuple) else [node.right]
        pieces = node.left.value.replace("%d", "%s").split("%s")
        return (pieces, values) if len(pieces) == len(values) + 1 and "%" not in "".join(pieces) else None
    return None


def parameterised(module: Module, node: ast.expr, style: str) -> tuple[str, str] | None:
    """(new literal source, parameters source) for a dynamic query string, or None when not mechanical."""
    split = _split(node)
    if split is None or not split[1]:
        return None
    pieces, values = split
    pieces = list(pieces)
    text, params_src = pieces[0], []
    for index, value in enumerate(values, start=1):
        piece, value_src = pieces[index], source(module, value)
        if text.count("'") % 2 == 1:  # inside a quoted SQL literal: the whole literal becomes the parameter
            lead = text[text.rindex("'") + 1:]
            if "'" not in piece or "{" in lead + piece:
                return None
            trail = piece[: piece.index("'")]
            text, piece = text[: text.rindex("'")], piece[piece.index("'") + 1:]
            if lead or trail:
                value_src = "f" + repr(f"{lead}{{{value_src}}}{trail}")
        params_src.append(value_src)
        text += {"qmark": "?", "format": "%s", "named": f":p{index}"}[style] + piece
    if style == "named":
        params = "{" + ", ".join(f'"p{i}": {v}' for i, v in enumerate(params_src, start=1)) + "}"
    else:
        params = "(" + ", ".join(params_src) + ("," if len(params_src) == 1 else "") + ")"
    return repr(text), params


class SqlInjection:
    name = "sql_injection"
    category = "security"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        found: list[CodeIssue] = []
        for func in functions(module.tree) if module.tree else ():
            for call in ast.walk(func):
                if not isinstance(call, ast.Call) or last_attr(call) not in SINKS or not call.args:
                    continue
                if last_attr(call) == "text" and any(call in getattr(p, "args", [])[:1] for p in ast.walk(func)
                                                     if isinstance(p, ast.Call) and last_attr(p) in SINKS - {"text"}):
                    continue  # reported at the execute() that runs it
                found.extend(self._check_call(module, func, call))
        return found

    def _check_call(self, module: Module, func: ast.AST, call: ast.Call) -> list[CodeIssue]:
        query, outer = call.args[0], call
        if isinstance(query, ast.Call) and last_attr(query) == "text" and query.args:
            outer, query = call, query.args[0]
            style_call = call.args[0]
        else:
            style_call = call
        assignment = _assigned_string(func, query.id, call.lineno) if isinstance(query, ast.Name) else None
        built = assignment.value if assignment is not None else query
        if not dynamic_string(built):
            return []
        # reported where the string is built (where bandit's B608 points too); the query runs at the call
        found = issue(self, module, assignment or call, "critical",
                      f"SQL built from values with {type(built).__name__} string formatting is passed to "
                      f"{last_attr(call)}()" + (f" on line {call.lineno}" if assignment else "")
                      + ": an attacker controls the query", "CWE-89")
        found.fix = self._fix(module, outer, query, built, assignment, _placeholder_style(module, style_call))
        return [found]

    def _fix(self, module: Module, call: ast.Call, query: ast.expr, built: ast.expr,
             assignment: ast.Assign | None, style: str) -> Fix:
        if last_attr(call) == "executescript":  # it takes the script alone: no parameters to bind
            return Fix("executescript() cannot bind parameters: run each statement with execute() and pass the "
                       "values as bound parameters.", "medium")
        fix = Fix("Pass the values as bound parameters instead of formatting them into the SQL text.", "medium")
        made = parameterised(module, built, style)
        if made is None or len(call.args) > 1 or call.keywords:
            return fix
        literal, params = made
        if assignment is not None:
            fix.edits = [node_edit(module, built, literal), node_edit(module, call.args[0],
                                                                    f"{source(module, call.args[0])}, {params}")]
        elif query is call.args[0]:
            fix.edits = [node_edit(module, query, f"{literal}, {params}")]
        else:  # execute(text(f"...")): the literal goes into text(), the parameters to execute()
            fix.edits = [node_edit(module, call.args[0], f"{source(module, call.args[0].func)}({literal}), {params}")]
        return fix
