"""Run the review: rules (and bandit) over a project, narrowed by scope, each fix turned into a checked patch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from functions._platform.domains.code.app_setup import App, project_apps
from functions._platform.domains.code.bandit_scan import KIND_OF_TEST, LEFT_OUT, bandit_issues, merge
from functions._platform.domains.code.edits import parses, patch_applies, patched_text, unified_diff
from functions._platform.domains.code.model import CodeIssue, Project
from functions._platform.domains.code.rules.registry import rules
from functions._platform.domains.code.scope import Scope


@dataclass
class Review:
    issues: list[CodeIssue] = field(default_factory=list)
    files: int = 0
    lines: int = 0
    notes: list[str] = field(default_factory=list)


def rule_issues(project: Project, only: str | None = None, paths: set[str] | None = None) -> list[CodeIssue]:
    found = []
    for rule in rules():
        if only and rule.name != only:
            continue
        for module in project.modules.values():
            if paths is None or module.path in paths:
                found.extend(rule.check(module, project))
    return found


def check_patch(project: Project, found: CodeIssue) -> None:
    """Build the issue's patch; it counts as verified when it applies, parses, and the rule stops firing."""
    fix = found.fix
    if fix is None or not fix.edits:
        return
    path = fix.file or found.file
    before = project.modules[path].text
    after = patched_text(before, fix)
    if after == before:
        return
    patch = unified_diff(path, before, after)
    if not patch_applies(path, before, patch) or not parses(path, after):
        found.note = "the generated patch did not apply or parse; use the suggestion"
        return
    found.patch = patch
    patched = project.replaced(path, after)
    count = [len([i for i in rule_issues(p, found.rule, {found.file}) if i.line == found.line or
                  i.symbol == found.symbol]) for p in (project, patched)]
    found.patch_verified = count[1] < count[0]


def review_project(project: Project, scope: Scope | None = None, use_bandit: bool = True,
                   check_patches: bool = True) -> Review:
    in_scope = (lambda issue: True) if scope is None else scope.covers
    ours = [i for i in rule_issues(project) if in_scope(i)]
    apps = project_apps(project) if scope is None else scope.apps
    paths = None if scope is None else _scope_paths(scope, apps)
    theirs = _bandit_findings(project, paths, in_scope) if use_bandit else []
    issues = merge(_dedupe(ours), theirs)
    for found in issues:
        found.app = next((app.label for app in apps if app.holds(found)), "")
    for found in issues if check_patches else ():
        check_patch(project, found)
    return _review_of(project, issues, paths)


def _scope_paths(scope: Scope, apps: list[App]) -> set[str]:
    """The scope's files and the setup files of its apps."""
    return set(scope.files) | {path for app in apps for path in app.setup}


def _review_of(project: Project, issues: list[CodeIssue], paths: set[str] | None) -> Review:
    reviewed = [m for m in project.modules.values() if paths is None or m.path in paths]
    return Review(issues=sorted(issues, key=lambda i: (i.file, i.line)), files=len(reviewed),
                  lines=sum(m.text.count("\n") + 1 for m in reviewed))


def _bandit_findings(project: Project, paths: set[str] | None,
                     in_scope: Callable[[CodeIssue], bool]) -> list[CodeIssue]:
    """Bandit's medium issues in scope, of the tests the review keeps."""
    return [i for i in bandit_issues(project, paths, "MEDIUM", "MEDIUM") if in_scope(i)
            and i.test_id in KIND_OF_TEST and i.test_id not in LEFT_OUT]


def _dedupe(issues: list[CodeIssue]) -> list[CodeIssue]:
    seen, kept = set(), []
    for found in issues:
        key = (found.rule, found.file, found.line)
        if key not in seen:
            seen.add(key)
            kept.append(found)
    return kept
