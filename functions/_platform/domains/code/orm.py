"""What the ORM code declares (SQLAlchemy relationships, Django relations) and where a query starts, so the
performance rules can tell a lazy load per row from a plain attribute, and add eager loading to the query."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from functions._platform.domains.code.model import Edit, Module, Project
from functions._platform.domains.code.rules.contract import (
    call_name,
    dotted,
    keyword,
    last_attr,
    node_edit,
    source,
)

EAGER_LAZY = frozenset({"joined", "selectin", "subquery", "immediate", "raise", "raise_on_sql", "noload"})
QUERY_TERMINALS = frozenset({"all", "filter", "filter_by", "order_by", "where", "scalars", "limit", "offset",
                             "exclude", "values", "distinct", "join", "options", "select_related",
                             "prefetch_related", "paginate", "items", "execute", "fetchall"})


@dataclass(frozen=True)
class Relation:
    owner: str  # model class name
    attr: str
    collection: bool
    flavour: str  # "sqlalchemy" or "django"
    lazy: bool = True


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _sqlalchemy(cls: ast.ClassDef, statement: ast.stmt) -> list[Relation]:
    value = getattr(statement, "value", None)
    if not isinstance(value, ast.Call) or last_attr(value) != "relationship":
        return []
    target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target  # type: ignore
    if not isinstance(target, ast.Name):
        return []
    lazy = _string(keyword(value, "lazy")) or "select"
    uselist = keyword(value, "uselist")
    annotation = ast.unparse(statement.annotation) if isinstance(statement, ast.AnnAssign) else ""
    collection = not (isinstance(uselist, ast.Constant) and uselist.value is False) and (
        "List" in annotation or "list" in annotation or not annotation)
    if isinstance(statement, ast.AnnAssign) and "list" not in annotation.lower():
        collection = False
    found = [Relation(cls.name, target.id, collection, "sqlalchemy", lazy not in EAGER_LAZY)]
    backref = keyword(value, "backref")
    backref_name = _string(backref) or (_string(backref.args[0]) if isinstance(backref, ast.Call) and backref.args
                                        else None)
    related = _string(value.args[0]) if value.args else None
    if backref_name and related:
        found.append(Relation(related.split(".")[-1], backref_name, False, "sqlalchemy"))
    return found


def _django(cls: ast.ClassDef, statement: ast.stmt) -> list[Relation]:
    value = getattr(statement, "value", None)
    if not isinstance(value, ast.Call) or not isinstance(statement, ast.Assign):
        return []
    kind = last_attr(value)
    if kind not in ("ForeignKey", "OneToOneField", "ManyToManyField") or not isinstance(statement.targets[0], ast.Name):
        return []
    attr = statement.targets[0].id
    found = [Relation(cls.name, attr, kind == "ManyToManyField", "django")]
    target = _string(value.args[0]) if value.args else (dotted(value.args[0]) if value.args else None)
    target = target or (dotted(value.args[0]) if value.args else None)
    if target and target != "self":
        reverse = _string(keyword(value, "related_name")) or f"{cls.name.lower()}_set"
        if reverse != "+":
            found.append(Relation(target.split(".")[-1], reverse, kind != "OneToOneField", "django"))
    return found


def relations(project: Project) -> dict[str, list[Relation]]:
    """attribute name -> the relations of that name, across every model in the project."""
    cached = getattr(project, "_relations", None)
    if cached is not None:
        return cached
    found: dict[str, list[Relation]] = {}
    for module in project.python():
        for cls in ast.walk(module.tree):  # type: ignore[arg-type]
            if not isinstance(cls, ast.ClassDef):
                continue
            for statement in cls.body:
                for relation in _sqlalchemy(cls, statement) + _django(cls, statement):
                    found.setdefault(relation.attr, []).append(relation)
    project._relations = found  # type: ignore[attr-defined]
    return found


@dataclass
class QuerySource:
    """The expression a loop iterates, when it is a query: its model and the node eager loading hangs on."""

    expr: ast.expr
    model: str | None
    anchor: ast.expr | None  # `Model.query`, `session.query(Model)`, `select(Model)`, `Model.objects`
    flavour: str  # sqlalchemy, django or dbapi


def query_source(expr: ast.AST) -> QuerySource | None:
    for node in ast.walk(expr):
        if isinstance(node, ast.Attribute) and node.attr == "query" and isinstance(node.value, ast.Name):
            return QuerySource(expr, node.value.id, node, "sqlalchemy")  # type: ignore[arg-type]
        if isinstance(node, ast.Call) and last_attr(node) in ("query", "select") and node.args:
            model = dotted(node.args[0]).split(".")[0] or None
            return QuerySource(expr, model, node, "sqlalchemy")  # type: ignore[arg-type]
        if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name):
            return QuerySource(expr, node.value.id, node, "django")  # type: ignore[arg-type]
    if isinstance(expr, ast.Call) and last_attr(expr) in ("fetchall", "execute", "fetchmany"):
        return QuerySource(expr, None, None, "dbapi")  # type: ignore[arg-type]
    return None


def assigned_value(func: ast.AST, name: str, before: int) -> ast.expr | None:
    best = None
    for node in ast.walk(func):
        if (isinstance(node, ast.Assign) and node.lineno < before and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name
                and (best is None or node.lineno > best.lineno)):
            best = node
    return best.value if best is not None else None


def resolve_query(func: ast.AST, expr: ast.expr, line: int) -> QuerySource | None:
    if isinstance(expr, ast.Name):
        value = assigned_value(func, expr.id, line)
        return query_source(value) if value is not None else None
    if isinstance(expr, ast.Attribute) and expr.attr == "items" and isinstance(expr.value, ast.Name):
        value = assigned_value(func, expr.value.id, line)  # a Flask-SQLAlchemy page: page.items
        return query_source(value) if value is not None else None
    return query_source(expr)


def already_eager(source_text: str, attr: str) -> bool:
    return any(f"{word}({q}" in source_text.replace(" ", "")
               for word in ("joinedload", "selectinload", "subqueryload", "select_related", "prefetch_related")
               for q in (f"{attr}", f'"{attr}', f"'{attr}")) or f".{attr})" in source_text and "load(" in source_text


def eager_edit(module: Module, query: QuerySource, attrs: list[Relation]) -> tuple[list[Edit], list[str]] | None:
    """Edits adding eager loading of `attrs` to the query, and the imports they need."""
    if query.anchor is None or not attrs:
        return None
    anchor = source(module, query.anchor)
    if query.flavour == "django":
        joins = [r.attr for r in attrs if not r.collection]
        prefetches = [r.attr for r in attrs if r.collection]
        text = anchor + (f".select_related({', '.join(map(repr, joins))})" if joins else "") + (
            f".prefetch_related({', '.join(map(repr, prefetches))})" if prefetches else "")
        return [node_edit(module, query.anchor, text)], []
    loaders = [f"{'selectinload' if r.collection else 'joinedload'}({r.owner}.{r.attr})" for r in attrs]
    imports = sorted({f"from sqlalchemy.orm import {'selectinload' if r.collection else 'joinedload'}"
                      for r in attrs})
    return [node_edit(module, query.anchor, f"{anchor}.options({', '.join(loaders)})")], imports


def is_db_call(call: ast.Call) -> bool:
    name = call_name(call)
    head = name.split(".")
    if last_attr(call) in ("execute", "executemany", "fetchone", "fetchall"):
        return True
    return "query" in head or "objects" in head or (
        last_attr(call) in ("get", "scalar", "scalars", "first", "one", "all", "count", "filter_by")
        and any(part in ("session", "db", "query", "objects") for part in head))
