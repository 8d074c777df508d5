"""The review on the sample applications: every planted flaw found, nothing in the fixed versions, and every
generated patch applies, parses and removes its finding."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.code_review_apps import APPS, app_files, app_project, planted_flaws

from functions._platform.domains.code.model import Project
from functions._platform.domains.code.review import review_project


@pytest.fixture(scope="module", params=APPS)
def reviewed(request):
    return request.param, review_project(app_project(request.param, "planted"))


def test_the_sample_apps_cover_flask_django_and_fastapi():
    assert {"flask_blog", "django_shop", "fastapi_inventory"} <= set(APPS)


def test_every_planted_flaw_is_found(reviewed):
    app, review = reviewed
    found = {(i.rule, i.file, i.line) for i in review.issues}
    missing = [flaw for flaw in planted_flaws(app) if flaw not in found]
    assert not missing, f"{app}: not found {missing}"


def test_nothing_is_found_that_was_not_planted(reviewed):
    app, review = reviewed
    planted = set(planted_flaws(app))
    extra = [(i.rule, i.file, i.line, i.engine, i.message) for i in review.issues
             if (i.rule, i.file, i.line) not in planted]
    assert not extra, f"{app}: unexpected {extra}"


@pytest.mark.parametrize("app", APPS)
def test_the_fixed_version_has_no_findings(app):
    review = review_project(app_project(app, "fixed"))
    assert [(i.rule, i.file, i.line, i.message) for i in review.issues] == []


def test_each_finding_has_file_line_severity_and_a_fix(reviewed):
    _, review = reviewed
    for found in review.issues:
        assert found.file and found.line > 0 and found.severity in ("low", "medium", "high", "critical")
        assert found.fix is not None and found.fix.suggestion
        if found.category == "security" and found.engine == "sreo":
            assert found.cwe and found.cwe.startswith("CWE-")


def test_every_generated_patch_applies_and_removes_its_finding(reviewed, tmp_path: Path):
    app, review = reviewed
    patched = [i for i in review.issues if i.patch]
    assert patched, "no patch was generated"
    for found in patched:
        assert found.patch_verified, f"{app}: {found.rule} at {found.file}:{found.line} not verified"
        root = tmp_path / f"{found.rule}-{found.line}-{found.file.replace('/', '_')}"
        for path, text in app_files(app, "planted").items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text)
        (root / "fix.patch").write_text(found.patch)
        subprocess.run(["git", "apply", "fix.patch"], cwd=root, check=True, capture_output=True)
        (root / "fix.patch").unlink()
        files = {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*") if p.is_file()}
        after = review_project(Project.from_files(files), use_bandit=False)
        before = [i for i in review.issues if i.rule == found.rule and i.file == found.file and i.engine == "sreo"]
        still = [i for i in after.issues if i.rule == found.rule and i.file == found.file]
        assert len(still) == len(before) - 1, f"{app}: {found.rule} at {found.file}:{found.line} still reported"


def test_kinds_with_a_safe_mechanical_fix_get_a_patch(reviewed):
    _, review = reviewed
    mechanical = {"sql_injection", "csrf", "unsafe_deserialisation", "n_plus_one", "sync_io_in_async", "xss"}
    for found in review.issues:
        if found.rule in mechanical and "pickle" not in found.message and "render_template_string" not in \
                found.message and "query runs for each row" not in found.message and "open()" not in found.message:
            assert found.patch, f"{found.rule} at {found.file}:{found.line} has no patch"
