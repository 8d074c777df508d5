"""n_plus_one in templates: a Jinja/Django template loops over a query result and reads a lazy relationship
of each row (`{% for post in posts %} ... post.comments`). The fix lands in the view that renders the
template: eager loading on the query it passes in."""

from __future__ import annotations

import ast
import re

from functions._platform.domains.code.model import CodeIssue, Fix, Module, Project
from functions._platform.domains.code.orm import already_eager, eager_edit, relations, resolve_query
from functions._platform.domains.code.rules.contract import functions, keyword, last_attr, source

FOR = re.compile(r"{%-?\s*for\s+(\w+)\s+in\s+([\w.]+)")
READ = r"\b{var}\.(\w+)"


def _renderers(project: Project, template: str):
    """(module, function, context expression) for each view that renders `template` with a context name."""
    for module in project.python():
        for func in functions(module.tree):  # type: ignore[arg-type]
            for call in ast.walk(func):
                if not isinstance(call, ast.Call) or last_attr(call) not in ("render_template", "render",
                                                                              "TemplateResponse"):
                    continue
                names = [a for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if names and template.endswith(names[0].value):
                    yield module, func, call


def _context_expr(call: ast.Call, name: str) -> ast.expr | None:
    found = keyword(call, name)
    if found is not None:
        return found
    for arg in call.args:
        if isinstance(arg, ast.Dict):
            for key, value in zip(arg.keys, arg.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == name:
                    return value
    return None


class TemplateLazyLoop:
    name = "n_plus_one"
    category = "performance"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        if not module.path.endswith((".html", ".jinja", ".jinja2", ".j2")):
            return []
        known = relations(project)
        found = []
        for number, line in enumerate(module.lines, start=1):
            for match in FOR.finditer(line):
                var, iterable = match.groups()
                if "." in iterable:
                    continue  # a loop over a relationship is the inner side of the N+1, reported at the read
                hit = self._loop(module, project, number, var, iterable, known)
                if hit is not None:
                    found.append(hit)
        return found

    def _loop(self, module: Module, project: Project, number: int, var: str, iterable: str, known) -> CodeIssue | None:
        reads = [m.group(1) for m in re.finditer(READ.format(var=var), _loop_body(module, number)) if m.group(1) in known]
        if not reads:
            return None
        for view, func, call in _renderers(project, module.path):
            expr = _context_expr(call, iterable)
            query = resolve_query(func, expr, call.lineno) if expr is not None else None
            if query is None or query.flavour == "dbapi":
                continue
            rels = _lazy_relations(reads, known, query, view)
            if not rels:
                continue
            attrs = ", ".join(r.attr for r in rels)
            fix = Fix(f"Load {attrs} in {func.name}() before rendering.", "low", file=view.path)
            made = eager_edit(view, query, rels)
            if made is not None:
                fix.edits, fix.imports = made
            read_line = _first_read_line(module, number, var, {r.attr for r in rels})
            return CodeIssue(self.name, "performance", module.path, read_line, "high",
                             f"the template reads {attrs} on each {var} of {iterable} from {func.name}(): one "
                             "query per row (lazy loading)", "CWE-1073", symbol=func.name, fix=fix)
        return None


def _loop_body(module: Module, number: int) -> str:
    """The template text after the `for` on line `number`, up to its `endfor` (or the end)."""
    body = "\n".join(module.lines[number:])
    end = re.search(r"{%-?\s*endfor", body)
    return body[: end.start()] if end else body


def _lazy_relations(reads: list[str], known, query, view: Module) -> list:
    """The lazy relationships read in the loop that the view's query of the same ORM does not load eagerly."""
    return [r for attr in dict.fromkeys(reads) for r in known[attr][:1]
            if r.lazy and r.flavour == query.flavour and (query.model is None or r.owner == query.model)
            and not already_eager(source(view, query.expr), attr)]


def _first_read_line(module: Module, number: int, var: str, wanted: set[str]) -> int:
    return number + next(i for i, text in enumerate(module.lines[number:], start=1)
                         if wanted & set(re.findall(READ.format(var=var), text)))
