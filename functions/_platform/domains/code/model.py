"""What the code review works on (a project of parsed source files) and what it yields (issues with fixes)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Literal

Category = Literal["security", "performance", "resilience"]
IssueSeverity = Literal["low", "medium", "high", "critical"]
FixRisk = Literal["low", "medium", "critical"]


@dataclass(frozen=True)
class Edit:
    """Replace the text from (line, col) to (end_line, end_col); lines 1-based, columns in characters."""

    line: int
    col: int
    end_line: int
    end_col: int
    text: str


@dataclass
class Fix:
    """A mechanical fix: edits to the issue's file plus imports it needs; or only a written suggestion."""

    suggestion: str
    risk: FixRisk = "medium"
    edits: list[Edit] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)  # e.g. "from sqlalchemy.orm import joinedload"
    file: str | None = None  # when the edit lands in another file than the issue (a view feeding a template)


@dataclass
class CodeIssue:
    rule: str  # finding kind without the `code_` prefix, e.g. `sql_injection`, `n_plus_one`
    category: Category
    file: str
    line: int
    severity: IssueSeverity
    message: str
    cwe: str | None = None
    symbol: str = ""  # enclosing function, when there is one
    engine: str = "sreo"  # `sreo` (the project's rules) or `bandit`
    test_id: str = ""  # the engine's own rule id (bandit's B608...)
    fix: Fix | None = None
    patch: str | None = None  # unified diff, once built and checked
    patch_verified: bool = False  # applies, parses, and the rule no longer fires there
    note: str = ""
    app: str = ""  # set when the issue is in the setup code of an app (`app.py:14 (Flask)`): an app-wide flaw


@dataclass
class Module:
    path: str
    text: str
    tree: ast.Module | None = None  # None for templates and unparsable files

    @property
    def is_python(self) -> bool:
        return self.path.endswith(".py")

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


@dataclass
class Project:
    modules: dict[str, Module]
    revision: str | None = None

    @classmethod
    def from_files(cls, files: dict[str, str], revision: str | None = None) -> Project:
        modules = {}
        for path, text in files.items():
            tree = None
            if path.endswith(".py"):
                try:
                    tree = ast.parse(text, filename=path)
                except (SyntaxError, ValueError):
                    tree = None
            modules[path] = Module(path, text, tree)
        return cls(modules, revision)

    def python(self) -> list[Module]:
        return [m for m in self.modules.values() if m.tree is not None]

    def templates(self) -> list[Module]:
        return [m for m in self.modules.values() if m.path.endswith((".html", ".jinja", ".jinja2", ".j2"))]

    def replaced(self, path: str, text: str) -> Project:
        """The project with one file's text replaced; the other modules (and their trees) are shared."""
        changed = Project.from_files({path: text}).modules[path]
        return Project({**self.modules, path: changed}, self.revision)
