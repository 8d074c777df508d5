"""n_plus_one (CWE-1073): one query per row of a query result. Either a lazy relationship read on each row
(SQLAlchemy `relationship()` without eager `lazy`, Django ForeignKey/ManyToMany/reverse accessors) with no
eager loading on the query, or an explicit query (ORM or DB-API `execute`) in the loop that uses the row.
Fix: eager loading on the query (`joinedload`/`selectinload`, `select_related`/`prefetch_related`); an
explicit query per row gets a written suggestion (one query with IN or a join)."""

from __future__ import annotations

import ast

from functions._platform.domains.code.model import CodeIssue, Fix, Module, Project
from functions._platform.domains.code.orm import (
    Relation,
    already_eager,
    eager_edit,
    is_db_call,
    relations,
    resolve_query,
)
from functions._platform.domains.code.rules.contract import functions, issue, loops, source, target_names


def _body(loop: ast.AST, func: ast.AST) -> list[ast.AST]:
    if isinstance(loop, ast.For | ast.AsyncFor):
        return list(loop.body)
    parent = next(n for n in ast.walk(func) if isinstance(n, ast.ListComp | ast.SetComp | ast.GeneratorExp
                                                             | ast.DictComp) and loop in n.generators)
    return [getattr(parent, "elt", None) or parent.key, *([parent.value] if isinstance(parent, ast.DictComp)
                                                          else [])]


def lazy_reads(nodes: list[ast.AST], names: set[str], model: str | None, flavour: str,
               known: dict[str, list[Relation]]) -> dict[str, tuple[Relation, ast.AST]]:
    """Relations read through a loop variable, attr -> (relation, first read)."""
    reads: dict[str, tuple[Relation, ast.AST]] = {}
    for root in nodes:
        for node in ast.walk(root):
            if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in names and node.attr in known):
                continue
            candidates = [r for r in known[node.attr] if r.flavour == flavour and r.lazy]
            relation = next((r for r in candidates if r.owner == model), candidates[0] if candidates else None)
            if relation is not None and (model is None or relation.owner == model) and node.attr not in reads:
                reads[node.attr] = (relation, node)
    return reads


class NPlusOne:
    name = "n_plus_one"
    category = "performance"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        found: list[CodeIssue] = []
        known = relations(project)
        for func in functions(module.tree) if module.tree else ():
            for loop in loops(func):
                if _innermost_function(func, loop) is not func:
                    continue
                found.extend(self._loop(module, func, loop, known))
        return found

    def _loop(self, module: Module, func: ast.AST, loop: ast.AST, known: dict[str, list[Relation]]) -> list:
        line = getattr(loop, "lineno", None) or loop.iter.lineno  # type: ignore[attr-defined]
        query = resolve_query(func, loop.iter, line)  # type: ignore[attr-defined]
        if query is None:
            return []
        names, body = target_names(loop.target), _body(loop, func)  # type: ignore[attr-defined]
        reads = lazy_reads(body, names, query.model, query.flavour, known) if query.flavour != "dbapi" else {}
        reads = {a: r for a, r in reads.items() if not already_eager(source(module, query.expr), a)}
        found = []
        if reads:
            first = min((node for _, node in reads.values()), key=lambda n: n.lineno)  # type: ignore[attr-defined]
            attrs = ", ".join(reads)
            hit = issue(self, module, first, "high", f"reading {attrs} on each row of a {query.model or 'query'} "
                        "result issues one query per row (lazy loading)", "CWE-1073")
            loaders = "select_related/prefetch_related" if query.flavour == "django" else "joinedload/selectinload"
            fix = Fix(f"Load {attrs} with the query ({loaders}).", "low")
            made = eager_edit(module, query, [relation for relation, _ in reads.values()])
            if made is not None:
                fix.edits, fix.imports = made
            hit.fix = fix
            found.append(hit)
        for root in body:
            for node in ast.walk(root):
                if (isinstance(node, ast.Call) and is_db_call(node)
                        and target_names(node) & names and not isinstance(node.func, ast.Name)):
                    hit = issue(self, module, node, "high", "a query runs for each row of the result it loops "
                                "over", "CWE-1073")
                    hit.fix = Fix("Fetch the rows for every item in one query (WHERE id IN (...), a join, or an "
                                  "eagerly loaded relationship) before the loop.", "low")
                    found.append(hit)
                    return found
        return found


def _innermost_function(func: ast.AST, loop: ast.AST) -> ast.AST:
    inner = func
    for node in ast.walk(func):
        if (node is not func and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                and any(child is loop for child in ast.walk(node))):
            inner = node
    return inner
