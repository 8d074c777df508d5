"""Every finding kind the code emits or compares is a declared FindingKind: a misspelt kind fails here."""

from __future__ import annotations

import ast

from support.paths import REPO_ROOT

from functions._platform.analyzers.kinds import declared
from functions._platform.analyzers.registry import ANALYZERS

FUNCTIONS = REPO_ROOT / "functions"
MAKERS = {"Finding", "finding", "placed_finding", "make_finding", "graded_finding", "Cause"}
# Objects whose `.kind` is not a finding's: a notification destination's spec, and the twin's edges and nodes
# (`graph.nodes[...]`), whose kinds are the typed `EdgeKind` / `NodeKind` literals of topology/graph.py, and a
# trace span, whose kind is OpenTelemetry's (server, client, producer, consumer, internal).
OTHER_KINDS = {"spec", "edge", "nodes", "span"}


def _strings(node: ast.AST | None) -> set[str]:
    """The string constants a kind expression can take: a literal, either branch of `a if c else b`, or the
    items of a tuple, list, set or `frozenset({...})`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return set().union(*(_strings(item) for item in node.elts)) if node.elts else set()
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "frozenset" and node.args:
        return _strings(node.args[0])
    if isinstance(node, ast.Dict):
        return set().union(*(_strings(key) for key in node.keys if key is not None)) if node.keys else set()
    return set()


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _owner(node: ast.Attribute) -> str | None:
    """Whose attribute it is: `finding` for `finding.kind`, `item` for `item[1].kind`."""
    value = node.value
    while isinstance(value, ast.Subscript):
        value = value.value
    return _name(value)


def _is_kind(node: ast.AST) -> bool:
    """`finding.kind`, `item[1].kind`, or a variable called `kind`."""
    return _name(node) == "kind"


class KindScan(ast.NodeVisitor):
    def __init__(self, tree: ast.Module) -> None:
        self.constants = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                          for target in node.targets if isinstance(target, ast.Name)}
        self.kinds: dict[str, int] = {}
        self.in_analyzer = False

    def add(self, values: set[str], line: int) -> None:
        for value in values:
            self.kinds.setdefault(value, line)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        outer = self.in_analyzer
        self.in_analyzer = any(isinstance(item, ast.FunctionDef) and item.name == "analyze" for item in node.body)
        self.generic_visit(node)
        self.in_analyzer = outer

    def visit_Assign(self, node: ast.Assign) -> None:
        names = {_name(target) for target in node.targets}
        if "kind" in names and self.in_analyzer:  # `kind = "..."` in an analyzer, its class or its methods
            self.add(_strings(node.value), node.lineno)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if _name(node.func) in MAKERS:
            for keyword in node.keywords:
                if keyword.arg == "kind":
                    self.add(_strings(self.resolved(keyword.value)), node.lineno)
        if _name(node.func) == "get" and node.args and _is_kind(node.args[0]):  # KIND_WORDS.get(finding.kind)
            owner = node.func.value if isinstance(node.func, ast.Attribute) else None
            if isinstance(owner, ast.Name) and owner.id in self.constants:
                self.add(_strings(self.constants[owner.id]), node.lineno)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        if isinstance(node.left, ast.Attribute) and node.left.attr == "kind" and _owner(node.left) not in OTHER_KINDS:
            for comparator in node.comparators:
                self.add(_strings(self.resolved(comparator)), node.lineno)
        self.generic_visit(node)

    def resolved(self, node: ast.AST) -> ast.AST:
        """A module-level constant's value for its name (`CHANGE_KIND`, `SYMPTOM_KINDS`)."""
        return self.constants.get(node.id, node) if isinstance(node, ast.Name) else node


def kinds_in(source: str) -> dict[str, int]:
    tree = ast.parse(source)
    scan = KindScan(tree)
    scan.visit(tree)
    return scan.kinds


def used_kinds() -> dict[str, str]:
    """kind -> where it is first written (file:line)."""
    found: dict[str, str] = {}
    for path in sorted(FUNCTIONS.rglob("*.py")):
        for kind, line in kinds_in(path.read_text()).items():
            found.setdefault(kind, f"{path.relative_to(FUNCTIONS.parent)}:{line}")
    return found


def test_every_kind_the_code_writes_or_compares_is_declared() -> None:
    used = used_kinds()
    unknown = {kind: where for kind, where in used.items() if kind not in declared()}
    assert unknown == {}
    assert len(used) >= 45  # the scan does see the analyzers, the readers and their tables


def test_the_scan_catches_a_misspelt_kind() -> None:
    source = '''
class Broken:
    kind = "pod_crashlop"

    def analyze(self, data, context):
        return [context.finding(kind="node_not_redy", subject="x")]


def reader(finding):
    return finding.kind in ("lock_contension",) or finding.kind == "recent_rolout"
'''
    assert set(kinds_in(source)) == {"pod_crashlop", "node_not_redy", "lock_contension", "recent_rolout"}
    assert not set(kinds_in(source)) & set(declared())


def test_every_registered_analyzer_declares_the_kinds_it_is_named_by() -> None:
    for domain, analyzers in ANALYZERS.items():
        for analyzer in analyzers:
            names = [kind.name for kind in analyzer.kinds]
            assert analyzer.kind in names, f"{domain}: {type(analyzer).__name__}"
            assert all(kind.domain == domain for kind in analyzer.kinds), f"{domain}: {names}"


def test_kinds_are_declared_once_each() -> None:
    catalogue = declared()
    assert len(catalogue) >= 54
    assert all(name == kind.name for name, kind in catalogue.items())


def test_every_code_review_rule_has_a_declared_kind() -> None:
    from functions._platform.domains.code.rules.registry import KINDS

    assert {f"code_{rule}" for rule in KINDS} <= set(declared())


def test_every_action_template_names_only_plain_fields() -> None:
    """An action's title and command are `str.format` templates: a literal brace (a JSON patch) must be doubled, or
    the report cannot render the action at all."""
    from string import Formatter

    for kind in declared().values():
        for rule in kind.actions:
            for template in filter(None, (rule.title, rule.command)):
                fields = [field for _, field, _, _ in Formatter().parse(template) if field is not None]
                assert all(field.isidentifier() for field in fields), f"{kind.name}/{rule.key}: {fields}"
