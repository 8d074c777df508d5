"""The report's Code review section: findings by severity, each with its patch, absent without code findings."""

from __future__ import annotations

from functions.report.code_review import code_review_lines

PATCH = "--- a/app.py\n+++ b/app.py\n@@ -1 +1 @@\n-x = `a`\n+x = ```b```\n"


def finding(kind: str, severity: str, **evidence) -> dict:
    return {"kind": kind, "summary": f"app.py:3: {kind}", "evidence": {"issue_severity": severity, **evidence}}


def test_findings_are_grouped_by_severity_with_patch_or_suggestion():
    report = {"causes": [{"evidence": [
        finding("code_sql_injection", "critical", file="app.py", line=3, cwe="CWE-89", fix_risk="medium",
                patch=PATCH, patch_verified=True),
        finding("code_weak_auth", "high", file="app.py", line=9, suggestion="Read it from the environment."),
        finding("latency_creep", "high")]},
        {"evidence": [finding("code_sql_injection", "critical", file="app.py", line=3, patch=PATCH)]}]}
    text = "\n".join(code_review_lines(report))
    assert text.index("### Critical (1)") < text.index("### High (1)")
    assert "CWE-89 · fix risk medium" in text and "latency_creep" not in text
    assert "````diff" in text, "the fence is longer than any backtick run in the patch"
    assert "Suggestion: Read it from the environment." in text


def test_no_section_without_code_findings():
    assert code_review_lines({"causes": [{"evidence": [finding("latency_creep", "high")]}]}) == []


def test_app_wide_findings_have_their_own_sub_list_after_the_reviewed_codes():
    app = "app.py:14 (Flask)"
    report = {"causes": [{"evidence": [
        finding("code_n_plus_one", "high", file="app.py", line=34, cwe="CWE-1073"),
        finding("code_csrf", "high", file="app.py", line=14, cwe="CWE-352", app_wide=True, app=app,
                suggestion="Add CSRFProtect."),
        finding("code_weak_auth", "medium", file="app.py", line=16, app_wide=True, app=app)]}]}
    text = "\n".join(code_review_lines(report))
    own, app_wide = text.split("### App-wide (2)", 1)
    assert "### High (1)" in own and "CWE-1073" in own and "CWE-352" not in own
    assert "app.py:14 (Flask)" in app_wide and "- high · **csrf** · CWE-352" in app_wide
    assert app_wide.index("**csrf**") < app_wide.index("**weak_auth**")
