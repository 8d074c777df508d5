"""The supervisor loop end to end: a latency creep on an endpoint of a service with a repository -> a review
scoped to that endpoint -> its N+1 fix approved by policy -> marked applied -> the scan sees the metric back
and records "normalised" on the incident (or "still degraded" when it is not)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from support.code_repos import bare_clone, release_repo
from support.code_review_apps import app_files
from support.latency_series import write_latency

from functions._platform.db.approvals import ActionApproval
from functions._platform.db.models import TimelineEntry
from functions._platform.db.review_tasks import ReviewTask
from functions.scan.supervisor import supervise
from functions.scan.threats import run_scan

ENDPOINT = "/api/get_posts"


def creeping(now: int, fixed_at: int | None = None, stays: bool = False):
    """get_posts: 100 ms, creeping to ~500 ms over the last hour before `now`; after `fixed_at`, 100 ms again."""
    def mean(t: int) -> float:
        if fixed_at is not None and t >= fixed_at and not stays:
            return 0.1
        rise = max(0.0, min(1.0, (t - (now - 3600)) / 3600))
        return 0.1 + 0.4 * rise
    return mean


def flat(t: int) -> float:
    return 0.08


@pytest.fixture
def blog_repo(tmp_path: Path) -> str:
    work = release_repo(tmp_path / "src", [("1.1.0", app_files("flask_blog", "planted"))])
    return bare_clone(work, tmp_path / "blog.git")


RESPONDER = "responder-token-1"


@pytest.mark.parametrize("mode", ["normalised", "still-degraded", "responder"])
def test_latency_creep_to_review_to_approved_fix_to_verdict(make_orchestrator, blog_repo: str, tmp_path: Path,
                                                            mode: str):
    """`responder`: the policy approves nothing, so the fix waits for a responder's approval."""
    stays = mode == "still-degraded"
    now = int(time.time()) // 60 * 60
    metrics = tmp_path / "metrics.om"
    write_latency(metrics, "blog", now - 4 * 3600, now, {ENDPOINT: creeping(now), "/": flat})
    orchestrator = make_orchestrator(metrics_files=str(metrics), code_repos={"blog": blog_repo},
                                     review_auto_approve="" if mode == "responder" else "low,medium",
                                     responder_tokens=RESPONDER)
    host, client, db = orchestrator.host, orchestrator.client, orchestrator.db

    host.tick({"scan"})  # the scheduled scan: threat -> triage -> incident with the code domain
    orchestrator.settle(60)
    with db.session() as session:
        task = session.scalars(select(ReviewTask)).one()
        assert (task.service, task.threat_kind, task.endpoint) == ("blog", "latency_creep", ENDPOINT)
    incident_id = next(i["id"] for i in client.get("/incidents").json()["items"] if i["service"] == "blog")
    assert "code" in client.get(f"/incidents/{incident_id}").json()["domains"]
    report = orchestrator.report(incident_id, timeout=60)

    code_causes = [c for c in report["causes"] if any(f["kind"].startswith("code_") for f in c["evidence"])]
    code_findings = [f for c in code_causes for f in c["evidence"] if f["kind"].startswith("code_")
                     and not f["evidence"].get("app_wide")]
    assert {f["kind"] for f in code_findings} == {"code_n_plus_one"}, "the review is scoped to the endpoint"
    app_wide = {f["kind"] for c in code_causes for f in c["evidence"] if f["evidence"].get("app_wide")}
    assert app_wide == {"code_csrf", "code_weak_auth"}, "with the flaws of the app serving it"
    assert code_findings[0]["evidence"]["file"] == "app.py" and "selectinload" in code_findings[0]["evidence"]["patch"]
    markdown = client.get(f"/incidents/{incident_id}/report", params={"format": "markdown"}).text
    section = markdown.split("## Code review", 1)[1].split("\n## ", 1)[0]
    own_section, app_section = section.split("### App-wide", 1)
    assert "### High (1)" in own_section and "CWE-1073" in own_section and "```diff" in own_section
    assert "CWE-352" in app_section and "CWE-352" not in own_section
    assert "+from sqlalchemy.orm import selectinload" in section
    fixes = [a for c in code_causes for a in c["actions"] if a["id"].startswith("apply-fix-")]
    fix = fixes[0]
    assert "n_plus_one" in fix["title"], "the endpoint's own fix comes first"
    assert fix["risk"] == "low" and fix["requires_approval"] is (mode == "responder")
    assert all(a["requires_approval"] for a in fixes[1:]), "app-wide fixes wait for a responder"
    orchestrator.settle(60)  # the published report reached the supervisor: a fix the policy approves is approved now
    stored = client.get(f"/incidents/{incident_id}/report").json()
    assert [(a["action_id"], a["approver"]) for a in stored["approvals"]] == (
        [] if mode == "responder" else [(fix["id"], "policy")])

    host.tick({"scan"})  # the next round: the supervisor approves the low-risk fix by policy, or asks
    orchestrator.settle(60)
    if mode == "responder":
        early = client.post(f"/incidents/{incident_id}/actions/{fix['id']}/applied")
        assert early.status_code == 409 and early.json()["error"]["code"] == "not_approved"
        approved = client.post(f"/incidents/{incident_id}/actions/{fix['id']}/approve",
                               headers={"Authorization": f"Bearer {RESPONDER}"}, json={"comment": "reviewed"})
        assert approved.status_code == 201, approved.text
        orchestrator.settle(60)  # report announces the approval (approval.recorded); scan keeps its copy
    with db.session() as session:
        approval = session.scalars(select(ActionApproval).filter_by(incident_id=incident_id)).one()
        assert approval.action_id == fix["id"]
        assert (approval.approver == "policy") is (mode != "responder")
        assert session.scalars(select(ReviewTask)).one().status == "proposed"

    answer = client.post(f"/incidents/{incident_id}/actions/{fix['id']}/applied", json={"comment": "PR 42"})
    assert answer.status_code == 200, answer.text
    applied_at = int(datetime.fromisoformat(answer.json()["applied_at"]).timestamp())

    later = now + 1800  # half an hour on: the metric since the fix decides
    write_latency(metrics, "blog", now - 4 * 3600, later,
                  {ENDPOINT: creeping(now, fixed_at=applied_at, stays=stays), "/": flat})
    until = datetime.fromtimestamp(later, UTC)
    supervise(host.runtime, run_scan(host.runtime.settings, "20m", until).threats, until)

    with db.session() as session:
        task = session.scalars(select(ReviewTask)).one()
        assert task.status == ("still_degraded" if stays else "normalised"), task.verdict
    with db.session() as session:  # the audit trail, straight from the store
        timeline = list(session.scalars(select(TimelineEntry.text).filter_by(incident_id=incident_id)))
    verdict = next(text for text in timeline if text.startswith(f"After {fix['id']}"))
    assert ("still degraded" if stays else "normalised") in verdict
    assert any("approved by policy" in text for text in timeline) is (mode != "responder")
    assert any(f"Fix {fix['id']} " in text and "needs a responder" in text for text in timeline) is (
        mode == "responder")
    assert all(any(f"Fix {a['id']} " in text and "needs a responder" in text for text in timeline) for a in fixes[1:])
    assert any("code review requested for endpoint /api/get_posts" in text for text in timeline)
    assert any("marked applied" in text for text in timeline)
    listed = client.get("/reviews").json()["reviews"]
    assert [(r["incident_id"], r["status"], r["applied_action"]) for r in listed] == [
        (incident_id, "still_degraded" if stays else "normalised", fix["id"])]


def test_a_fix_cannot_be_marked_applied_before_it_is_approved(make_orchestrator, blog_repo, tmp_path):
    orchestrator = make_orchestrator(code_repos={"blog": blog_repo})
    answer = orchestrator.client.post("/incidents/nope/actions/apply-fix-x/applied")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "incident_not_found"
