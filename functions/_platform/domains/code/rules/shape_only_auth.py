"""weak_auth (CWE-287), a second rule of that kind: a handler (a route or an MCP tool) takes a credential
(`token`, `auth_token`, `api_key`, `password`, `session_id`, ...) and only ever tests its presence or its shape
(`if token:`, `token is None`, `re.match(pattern, token)`, `len(token)`, `token.startswith(...)`), besides echoing
it: it is never compared with, looked up among or handed to anything that knows the real ones, so any value that
looks right passes. No mechanical fix: the suggestion is to verify it."""

from __future__ import annotations

import ast
import re

from functions._platform.domains.code.model import CodeIssue, Fix, Module, Project
from functions._platform.domains.code.rules.contract import call_name, functions, issue
from functions._platform.domains.code.rules.path_traversal import handler_params, is_handler

CREDENTIAL = re.compile(r"(^|_)(token|passw(or)?d|passwd|api_?key|secret|session_?id|credentials?)$", re.IGNORECASE)
SHAPE_CALLS = frozenset({"re.match", "re.fullmatch", "re.search", "len", "bool", "isinstance"})
SHAPE_METHODS = frozenset({"startswith", "endswith", "isalnum", "isdigit", "isalpha", "isascii", "isidentifier",
                           "ishex"})


def _parents(func: ast.AST) -> dict[int, ast.AST]:
    return {id(child): node for node in ast.walk(func) for child in ast.iter_child_nodes(node)}


def _in_test(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """Whether the expression is (part of) the condition of an if, a while, a conditional expression or an assert."""
    while id(node) in parents:
        parent = parents[id(node)]
        if isinstance(parent, ast.If | ast.While | ast.IfExp | ast.Assert) and parent.test is node:
            return True
        if not isinstance(parent, ast.BoolOp | ast.UnaryOp | ast.Compare | ast.Call | ast.Attribute):
            return False
        node = parent
    return False


def _use(name: ast.Name, parents: dict[int, ast.AST]) -> str:
    """`test` when this use only tests presence or shape, `echo` when it is put in a string, else `other`."""
    parent = parents.get(id(name))
    if isinstance(parent, ast.FormattedValue):
        return "echo"
    if isinstance(parent, ast.Call) and call_name(parent) in SHAPE_CALLS and name in parent.args:
        return "test" if _in_test(parent, parents) else "other"
    if isinstance(parent, ast.Attribute) and parent.attr in SHAPE_METHODS:
        return "test" if _in_test(parent, parents) else "other"
    if isinstance(parent, ast.Compare) and all(isinstance(o, ast.Is | ast.IsNot) for o in parent.ops):
        return "test" if _in_test(parent, parents) else "other"
    if isinstance(parent, ast.If | ast.While | ast.IfExp | ast.Assert | ast.BoolOp | ast.UnaryOp):
        return "test" if _in_test(name, parents) else "other"
    return "other"


class ShapeOnlyCredential:
    name = "weak_auth"
    category = "security"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        found = []
        for func in functions(module.tree) if module.tree else ():
            if not is_handler(func, module):
                continue
            parents = _parents(func)
            for param in sorted(p for p in handler_params(func) if CREDENTIAL.search(p)):
                uses = [n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == param]
                kinds = [_use(n, parents) for n in uses]
                if "test" not in kinds or "other" in kinds:
                    continue
                first = min((n for n, kind in zip(uses, kinds, strict=True) if kind == "test"),
                            key=lambda n: n.lineno)
                hit = issue(self, module, first, "high", f"{func.name}() accepts {param} for its presence or "
                            "shape alone: it is never checked against the real credentials", "CWE-287")
                hit.fix = Fix(f"Verify {param}: look it up in the session or token store (or check its signature "
                              "and expiry), compare in constant time, and refuse the call when it does not match.",
                              "medium")
                found.append(hit)
        return found
