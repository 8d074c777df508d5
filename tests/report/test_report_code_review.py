"""The report's Code review section, in Markdown and HTML: findings by severity, each with its patch, the app-wide
ones apart, every string from code escaped; absent without code findings."""

from __future__ import annotations

import re

from report_cases import HOSTILE, causes, store_incident
from report_cases import finding as report_finding

from functions.report.code_review import code_review_lines
from sreo_events.models import Cause

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


def _code_cause(*evidence) -> list:
    return [Cause(component="checkout", kind="code_xss", score=0.6, confidence=0.5, reason="code review",
                  evidence=list(evidence)), *causes()]


def _code_finding(kind: str, summary: str, **evidence):
    return report_finding(kind, "checkout", summary, "review_code()", "code", **evidence)


def _sections(page: str) -> dict[str, str]:
    return dict(re.findall(r'<section id="([^"]+)">(.*?)</section>', page, flags=re.DOTALL))


def test_the_html_page_has_the_same_code_review_section_with_every_string_from_code_escaped(make_sqlite_served):
    served = make_sqlite_served()
    app = 'app.py:3 (Flask) <img src=x onerror=alert(7)>'
    store_incident(served.host.runtime, cause_list=_code_cause(
        _code_finding("code_xss", f"app.py:9: {HOSTILE}", file="app.py", line=9, issue_severity="high",
                      cwe="CWE-79", fix_risk="low", patch=f"--- a/app.py\n+++ b/app.py\n@@ -9 +9 @@\n-{HOSTILE}\n+x\n",
                      patch_verified=True),
        _code_finding("code_sql_injection", "app.py:4: query built from a value", file="app.py", line=4,
                      issue_severity="critical", cwe="CWE-89", suggestion=f"Bind {HOSTILE} as a parameter."),
        _code_finding("code_csrf", "app.py:3: no CSRF protection", file="app.py", line=3, issue_severity="high",
                      cwe="CWE-352", app_wide=True, app=app, suggestion="Add CSRFProtect.")))
    page = served.client.get("/incidents/inc-1/report", params={"format": "html"}).text
    markdown = served.client.get("/incidents/inc-1/report", params={"format": "markdown"}).text
    section = _sections(page)["code-review"]
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in section
    own, app_wide = section.split("<h3>App-wide (1)</h3>", 1)
    assert own.index("<h3>Critical (1)</h3>") < own.index("<h3>High (1)</h3>") and "CWE-352" not in own
    assert "CWE-79 · fix risk low" in own and "checked: applies, parses, removes the finding" in own
    assert "<pre><code>--- a/app.py\n+++ b/app.py\n" in own, "the patch keeps its lines"
    assert "app.py:3 (Flask) &lt;img src=x onerror=alert(7)&gt;" in app_wide and "CWE-352" in app_wide
    assert '<span class="badge high">high</span>' in app_wide
    assert "### App-wide (1)" in markdown and markdown.index("## What to do now") < markdown.index("## Code review")
    assert page.index('id="runbooks"') < page.index('id="code-review"') < page.index('id="healthy"')


def test_the_html_page_has_no_code_review_section_without_code_findings(make_sqlite_served):
    served = make_sqlite_served()
    store_incident(served.host.runtime)
    assert "code-review" not in served.client.get("/incidents/inc-1/report", params={"format": "html"}).text
