"""App-wide code findings (flaws in the setup of the app serving the reviewed endpoint) ride along with the
component's cause but are never judged as it: they neither headline it nor add to its anomaly."""

from __future__ import annotations

from datetime import UTC, datetime

from functions._platform.domains.code.findings import to_finding
from functions._platform.domains.code.model import CodeIssue
from functions.correlate.causes import diagnose
from sreo_events.models import EvidenceCollected, Finding

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
APP = "app.py:14 (Flask)"


def code(rule: str, category: str, severity: str, line: int, app: str = "") -> Finding:
    issue = CodeIssue(rule=rule, category=category, file="app.py", line=line, severity=severity,  # type: ignore
                      message=rule, app=app)
    return to_finding(issue, "web", "review service=web endpoint=/api/x", "/api/x")


def change(subject: str, robust_z: float) -> Finding:
    return Finding(kind="metric_change", subject=subject, severity="warning", score=0.5, summary=f"{subject} moved",
                   onset=T0, evidence={"change_strength": robust_z, "robust_z": robust_z, "metrics": [{"metric": "p90"}]})


def collected(domain: str, *findings: Finding) -> EvidenceCollected:
    return EvidenceCollected(incident_id="inc-1", domain=domain, status="success", findings=list(findings))


APP_WIDE = [code("csrf", "security", "high", 14, APP), code("weak_auth", "security", "high", 16, APP),
            code("weak_auth", "security", "high", 115, APP), code("xss", "security", "medium", 17, APP)]


def test_the_endpoints_own_injection_headlines_the_cause_not_an_app_wide_flaw_of_equal_severity():
    own = code("sql_injection", "security", "high", 60)
    [cause] = diagnose([collected("code", *APP_WIDE, own)], affected="web").causes
    assert cause.kind == "code_sql_injection"
    assert cause.evidence[0].kind == "code_sql_injection"
    assert [f.evidence.get("app_wide", False) for f in cause.evidence] == [False] + [True] * len(APP_WIDE)


def test_an_n_plus_one_headlines_over_app_wide_flaws_that_score_higher():
    own = code("n_plus_one", "performance", "medium", 34)
    assert max(f.score for f in APP_WIDE) > own.score
    [cause] = diagnose([collected("code", own, *APP_WIDE)], affected="web").causes
    assert cause.kind == "code_n_plus_one"


def test_app_wide_flaws_do_not_lift_the_endpoints_component_over_its_dependency():
    edges = [("web", "db")]
    own = code("n_plus_one", "performance", "medium", 34)
    plain = diagnose([collected("metrics", change("db", 6.0)), collected("code", own)], edges, affected="web")
    widened = diagnose([collected("metrics", change("db", 6.0)), collected("code", own, *APP_WIDE)], edges,
                       affected="web")
    assert [(c.component, round(c.score, 6)) for c in widened.causes] == [
        (c.component, round(c.score, 6)) for c in plain.causes]


def test_a_component_with_only_app_wide_findings_is_still_a_candidate():
    [cause] = diagnose([collected("code", *APP_WIDE)], affected="web").causes
    assert cause.component == "web" and cause.kind.startswith("code_")
