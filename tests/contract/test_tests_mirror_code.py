"""Tests mirror the code: every module that defines a registered analyzer has a test file of its own, named after
it (functions/_platform/domains/<domain>/analyzers/<module>.py -> tests/_platform/domains/<domain>/analyzers/
test_<module>.py), and that file imports the module or names a finding kind the module's analyzer emits. The code
review's rules are held to the same: functions/_platform/domains/code/rules/<module>.py ->
tests/_platform/domains/code/rules/test_<module>.py, which imports the module or names its rule's kind."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

from functions._platform.analyzers.registry import ANALYZERS
from functions._platform.domains.code.rules.registry import rules as code_rules

PREFIX = "functions._platform.domains."


def analyzer_modules() -> dict[str, set[str]]:
    """The dotted modules that define the registered analyzers, in registry order, with the kinds each emits."""
    modules: dict[str, set[str]] = {}
    for found in ANALYZERS.values():
        for analyzer in found:
            modules.setdefault(type(analyzer).__module__, set()).update(kind.name for kind in analyzer.kinds)
    return modules


def code_rule_modules() -> dict[str, set[str]]:
    """The dotted modules that define the code review's rules, in registry order, with the kind each raises, bare
    (`sql_injection`, as an issue's `rule`) and as its finding kind (`code_sql_injection`)."""
    modules: dict[str, set[str]] = {}
    for rule in code_rules():
        modules.setdefault(type(rule).__module__, set()).update({rule.name, f"code_{rule.name}"})
    return modules


def expected_test_file(module: str, root: Path) -> Path:
    if not module.startswith(PREFIX):
        raise ValueError(f"{module} is not under {PREFIX}")
    *folders, name = module.removeprefix(PREFIX).split(".")
    return root / "tests" / "_platform" / "domains" / Path(*folders) / f"test_{name}.py"


def _imports_and_strings(path: Path) -> set[str]:
    """The modules a file imports and the string constants it writes."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)
    return names


def unmirrored(modules: dict[str, set[str]], root: Path) -> list[str]:
    """What is wrong, one line per analyzer module: its test file is missing, or is about something else."""
    problems = []
    for module, kinds in modules.items():
        expected = expected_test_file(module, root)
        where = expected.relative_to(root)
        if not expected.is_file():
            problems.append(f"{module}: no {where}")
        elif not ({module} | kinds) & _imports_and_strings(expected):
            problems.append(f"{module}: {where} neither imports it nor names its kinds")
    return problems


def test_every_registered_analyzer_module_has_its_own_test_file() -> None:
    modules = analyzer_modules()
    assert len(modules) >= 40  # the walk does see the registry
    assert unmirrored(modules, REPO_ROOT) == []


def test_the_check_fails_for_a_missing_or_unrelated_test_file(tmp_path: Path) -> None:
    folder = tmp_path / "tests" / "_platform" / "domains" / "widgets" / "analyzers"
    folder.mkdir(parents=True)
    (folder / "test_gear_slip.py").write_text(
        "from functions._platform.domains.widgets.analyzers.gear_slip import GearSlip\n", encoding="utf-8")
    (folder / "test_belt_wear.py").write_text("def test_nothing():\n    assert 'gear_slip'\n", encoding="utf-8")
    (folder / "test_axle_bend.py").write_text("def test_it(found):\n    assert found == 'axle_bend'\n",
                                              encoding="utf-8")
    modules = {f"{PREFIX}widgets.analyzers.gear_slip": {"gear_slip"},
               f"{PREFIX}widgets.analyzers.belt_wear": {"belt_worn"},
               f"{PREFIX}widgets.analyzers.axle_bend": {"axle_bend"},
               f"{PREFIX}widgets.analyzers.chain_stretch": {"chain_stretch"}}
    assert unmirrored(modules, tmp_path) == [
        (f"{PREFIX}widgets.analyzers.belt_wear: tests/_platform/domains/widgets/analyzers/test_belt_wear.py "
         "neither imports it nor names its kinds"),
        f"{PREFIX}widgets.analyzers.chain_stretch: no tests/_platform/domains/widgets/analyzers/test_chain_stretch.py",
    ]


def test_every_code_review_rule_module_has_its_own_test_file() -> None:
    modules = code_rule_modules()
    assert len(modules) >= 12  # the walk does see the rules registry
    assert f"{PREFIX}code.rules.template_loops" in modules  # a second rule of an existing kind is its own module
    assert unmirrored(modules, REPO_ROOT) == []


def test_the_code_rule_check_fails_for_a_missing_or_unrelated_test_file(tmp_path: Path) -> None:
    folder = tmp_path / "tests" / "_platform" / "domains" / "code" / "rules"
    folder.mkdir(parents=True)
    (folder / "test_csrf.py").write_text("from functions._platform.domains.code.rules.csrf import Csrf\n",
                                         encoding="utf-8")
    (folder / "test_xss.py").write_text("def test_it(found):\n    assert found == 'code_xss'\n", encoding="utf-8")
    (folder / "test_ssrf.py").write_text("def test_it(found):\n    assert found == 'sql_injection'\n",
                                         encoding="utf-8")
    wanted = ("csrf", "xss", "ssrf", "template_loops")
    modules = {module: kinds for module, kinds in code_rule_modules().items() if module.rsplit(".", 1)[1] in wanted}
    assert unmirrored(modules, tmp_path) == [
        f"{PREFIX}code.rules.ssrf: tests/_platform/domains/code/rules/test_ssrf.py neither imports it nor names its kinds",
        f"{PREFIX}code.rules.template_loops: no tests/_platform/domains/code/rules/test_template_loops.py",
    ]


def test_a_module_outside_the_domains_is_refused() -> None:
    with pytest.raises(ValueError, match="not under"):
        expected_test_file("bench.widgets", REPO_ROOT)
