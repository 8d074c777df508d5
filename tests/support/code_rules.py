"""One review rule over a small project a test writes: the issues it raises, and the patch the review builds for
one of them, applied with `git apply` to a copy of the files and handed back for a second look."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

from functions._platform.domains.code.model import CodeIssue, Project
from functions._platform.domains.code.review import review_project
from functions._platform.domains.code.rules.contract import Rule

Files = str | dict[str, str]


def files_of(source: Files) -> dict[str, str]:
    """`app.py` for a single snippet; each file dedented."""
    files = {"app.py": source} if isinstance(source, str) else source
    return {path: textwrap.dedent(text).lstrip("\n") for path, text in files.items()}


def check(rule: Rule, source: Files) -> list[CodeIssue]:
    """The rule's issues over every file of the project, sorted by file and line."""
    project = Project.from_files(files_of(source))
    found = [hit for module in project.modules.values() for hit in rule.check(module, project)]
    return sorted(found, key=lambda hit: (hit.file, hit.line))


def where(found: list[CodeIssue]) -> list[tuple[str, int, str | None, str]]:
    """(file, line, cwe, severity) of each issue."""
    return [(hit.file, hit.line, hit.cwe, hit.severity) for hit in found]


def reviewed_patch(rule: Rule, source: Files, root: Path) -> tuple[CodeIssue, dict[str, str]]:
    """The rule's one issue as the whole review reports it (with its checked patch), and the project's files after
    the patch is applied with `git apply` in `root`."""
    files = files_of(source)
    review = review_project(Project.from_files(files), use_bandit=False)
    [hit] = [found for found in review.issues if found.rule == rule.name]
    assert hit.patch, f"{hit.rule} at {hit.file}:{hit.line} has no patch ({hit.note or 'no edits'})"
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    (root / "fix.patch").write_text(hit.patch)
    for command in (["git", "apply", "--check", "fix.patch"], ["git", "apply", "fix.patch"]):
        subprocess.run(command, cwd=root, check=True, capture_output=True)
    return hit, {path: (root / path).read_text() for path in files}
