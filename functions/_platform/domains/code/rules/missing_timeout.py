"""missing_timeout (CWE-1088): an outbound HTTP call that can wait for ever. `requests` (its functions and a
`requests.Session`'s methods) and `urllib.request.urlopen` have no timeout unless one is passed; any client given
`timeout=None` has none either. A peer that stops answering then holds the caller's worker, and its callers'.
Fix: pass a timeout (an edit adding `timeout=10`, to be sized to the caller's own deadline)."""

from __future__ import annotations

import ast

from functions._platform.domains.code.model import CodeIssue, Fix, Module, Project
from functions._platform.domains.code.rules.contract import (
    imported_names,
    is_const,
    issue,
    keyword,
    last_attr,
    node_edit,
    qualified_name,
    source,
)

VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
NO_DEFAULT = frozenset({*(f"requests.{verb}" for verb in VERBS), "urllib.request.urlopen"})
SESSIONS = frozenset({"requests.Session", "requests.session", "requests.sessions.Session"})
CLIENTS = ("requests.", "httpx.", "urllib.request.", "urllib3.", "aiohttp.")
SUGGESTION = ("Pass a timeout sized to the caller's own deadline (requests: `timeout=(connect, read)`), so a peer "
              "that stops answering fails the call instead of holding the worker.")


def _sessions(tree: ast.AST, imported: dict[str, str]) -> set[str]:
    """Names (or `self.<name>` attributes) the module binds to a `requests.Session()`."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.withitem):
            value, targets = node.context_expr, [node.optional_vars] if node.optional_vars else []
        elif isinstance(node, ast.Assign):
            value, targets = node.value, node.targets
        else:
            continue
        if isinstance(value, ast.Call) and qualified_name(value, imported) in SESSIONS:
            bound |= {ast.unparse(t) for t in targets}
    return bound


class MissingTimeout:
    name = "missing_timeout"
    category = "resilience"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        if module.tree is None:
            return []
        imported = imported_names(module.tree)
        sessions = _sessions(module.tree, imported)
        found = []
        for call in ast.walk(module.tree):
            if not isinstance(call, ast.Call) or any(k.arg is None for k in call.keywords):
                continue  # `**options` may carry the timeout
            name = qualified_name(call, imported)
            receiver = ast.unparse(call.func.value) if isinstance(call.func, ast.Attribute) else ""
            given = keyword(call, "timeout")
            if is_const(given, None) and name.startswith(CLIENTS):
                what = f"{name}() is given timeout=None: it waits for ever on a peer that stops answering"
            elif given is None and (name in NO_DEFAULT or receiver in sessions and last_attr(call) in VERBS):
                if name == "urllib.request.urlopen" and len(call.args) > 2:
                    continue  # urlopen(url, data, timeout)
                what = f"{name}() has no timeout: it waits for ever on a peer that stops answering"
            else:
                continue
            hit = issue(self, module, call, "medium", what, "CWE-1088")
            hit.fix = Fix(SUGGESTION, "low")
            arguments = [*call.args, *call.keywords]
            if given is None and arguments:
                last = max(arguments, key=lambda a: (a.end_lineno, a.end_col_offset))  # type: ignore[attr-defined]
                hit.fix.edits = [node_edit(module, last, f"{source(module, last)}, timeout=10")]
            found.append(hit)
        return found
