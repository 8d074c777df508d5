"""What each deployable function consumes and emits, read from its source without importing it.

A Service names its function through FUNCTION_SOURCE (functions/<package>/func.py) and FUNCTION_TARGET; the
package's events.py lists HANDLERS (consumed types) and EMITS (produced types) as `types.<NAME>` constants."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from support.paths import REPO_ROOT

from sreo_events import types
from sreo_events.envelope import PING_REQUESTS, PING_TYPE

FUNCTIONS_DIR = REPO_ROOT / "functions"


@dataclass(frozen=True)
class FunctionContract:
    package: str
    handles: frozenset[str]
    emits: frozenset[str]


def _type_name(node: ast.expr, where: Path) -> str:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "types":
        return getattr(types, node.attr)
    raise ValueError(f"{where}: expected a types.<NAME> constant, found {ast.dump(node)}")


def _assigned(tree: ast.Module, name: str) -> ast.expr | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return node.value
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return node.value
    return None


@cache
def contract(package: str) -> FunctionContract:
    path = FUNCTIONS_DIR / package / "events.py"
    tree = ast.parse(path.read_text(), filename=str(path))
    emits_node, handlers_node = _assigned(tree, "EMITS"), _assigned(tree, "HANDLERS")
    if not isinstance(emits_node, ast.Tuple):
        raise TypeError(f"{path}: EMITS must be a tuple of types.<NAME>")
    if not isinstance(handlers_node, ast.Dict):
        raise TypeError(f"{path}: HANDLERS must be a dict literal keyed by types.<NAME>")
    return FunctionContract(
        package=package,
        handles=frozenset(_type_name(key, path) for key in handlers_node.keys if key is not None),
        emits=frozenset(_type_name(item, path) for item in emits_node.elts),
    )


def package_of(function_source: str) -> str:
    """functions/<package>/func.py -> <package>."""
    parts = Path(function_source).parts
    if len(parts) != 3 or parts[0] != "functions" or parts[2] != "func.py":
        raise ValueError(f"FUNCTION_SOURCE {function_source!r} is not functions/<package>/func.py")
    return parts[1]


def defines_function(function_source: str, target: str) -> bool:
    path = REPO_ROOT / function_source
    if not path.exists():
        return False
    tree = ast.parse(path.read_text(), filename=str(path))
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == target for node in tree.body)


def deployable_packages() -> list[str]:
    """Every function package with a Knative adapter; `_`-prefixed packages are shared code, not functions."""
    return sorted(p.parent.name for p in FUNCTIONS_DIR.glob("*/func.py") if not p.parent.name.startswith("_"))


def consumed_type(filter_attributes: dict[str, Any]) -> str | None:
    """The event type a Trigger delivers, with PingSource ticks named by their `sreorequest` extension."""
    event_type = filter_attributes.get("type")
    if event_type == PING_TYPE:
        return PING_REQUESTS.get(filter_attributes.get("sreorequest", ""), PING_TYPE)
    return event_type
