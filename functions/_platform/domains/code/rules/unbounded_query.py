"""unbounded_query (CWE-770): an endpoint reads a whole table (`.all()` / `.objects.all()` with no filter,
limit or pagination), so its cost grows with the data. Written suggestion: paginate (changing how many rows
an endpoint returns is not a mechanical fix)."""

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

BOUNDED = ("limit", "paginate", "first", "one", "get", "filter", "filter_by", "where", "get_or_404",
           "first_or_404", "count", "exists", "slice", "fetch")


def _chain(call: ast.Call) -> list[str]:
    names = []
    node: ast.AST = call
    while isinstance(node, ast.Call | ast.Attribute | ast.Subscript):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            names.append(node.func.attr)
            if node.func.attr in ("scalars", "execute") and node.args and isinstance(node.args[0], ast.Call):
                names.extend(_chain(node.args[0]))  # 2.0 style: session.scalars(select(X).limit(n)).all()
        if isinstance(node, ast.Subscript):
            names.append("slice")
        node = node.func if isinstance(node, ast.Call) else node.value
    return names


class UnboundedQuery:
    name = "unbounded_query"
    category = "performance"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        found = []
        for func in functions(module.tree) if module.tree else ():
            if not is_route_handler(func, module):
                continue
            sliced = {id(n.value) for n in ast.walk(func) if isinstance(n, ast.Subscript)}
            for call in ast.walk(func):
                if not isinstance(call, ast.Call) or last_attr(call) != "all" or id(call) in sliced:
                    continue
                chain = _chain(call)
                name = call_name(call)
                if not ({"query", "objects"} & set(name.split(".")) or "query" in chain or "scalars" in chain):
                    continue
                if any(word in chain for word in BOUNDED):
                    continue
                hit = issue(self, module, call, "medium", f"{func.name}() reads every row of the table on each "
                            "request", "CWE-770")
                hit.fix = Fix("Paginate (limit/offset or a cursor) and cap the page size.", "low")
                found.append(hit)
        return found
