"""The code agent end to end through its MCP server: a service's repository from SREO_CODE_REPOS (a local
bare repository over file://), narrowed to an endpoint or to the diff between two released versions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support.code_repos import bare_clone, git, release_repo
from support.code_review_apps import app_files

from functions._platform.config import Settings
from functions._platform.domains.code.source import Repository, RepoSpec, SourceError
from functions.agents.code.agent import review_arguments
from functions.agents.investigate import collect_evidence
from sreo_events.models import InvestigationRequested, TimeWindow


def request(service: str, *hints: str) -> InvestigationRequested:
    now = datetime.now(UTC)
    return InvestigationRequested(incident_id="inc-1", domain="code", service=service, hints=list(hints),
                                  window=TimeWindow(start=now - timedelta(hours=1), end=now),
                                  deadline=now + timedelta(minutes=5))


@pytest.fixture(scope="module")
def blog_url(tmp_path_factory) -> str:
    """The blog released as 1.0.0 (fixed) then 1.1.0 (the planted flaws)."""
    root = tmp_path_factory.mktemp("repos")
    work = release_repo(root / "blog", [("1.0.0", app_files("flask_blog", "fixed")),
                                        ("1.1.0", app_files("flask_blog", "planted"))])
    return bare_clone(work, root / "blog.git")


def settings_for(url: str, tmp_path: Path) -> Settings:
    return Settings(home=tmp_path, code_repos={"blog": url})


def kinds(evidence) -> set[tuple[str, str]]:
    return {(f.kind, f.evidence["file"]) for f in evidence.findings}


def test_the_whole_service_is_reviewed_from_a_git_url(blog_url: str, tmp_path: Path):
    evidence = collect_evidence(request("blog"), settings_for(blog_url, tmp_path))
    assert evidence.status == "success", evidence.error
    assert evidence.domain == "code"
    assert {"code_sql_injection", "code_csrf", "code_n_plus_one", "code_xss"} <= {f.kind for f in evidence.findings}
    finding = next(f for f in evidence.findings if f.kind == "code_sql_injection")
    assert finding.subject == "blog" and finding.severity == "critical"
    assert finding.evidence["cwe"] == "CWE-89" and finding.evidence["line"] > 0
    assert finding.evidence["patch"].startswith("--- a/app.py") and finding.evidence["patch_verified"] is True
    assert "reviewed" in evidence.checked[0]
    assert list((tmp_path / "code").glob("*.git")), "the clone is cached as a bare mirror"


def test_an_endpoint_narrows_the_review_to_its_handler_and_its_apps_setup(blog_url: str, tmp_path: Path):
    evidence = collect_evidence(request("blog", "endpoint /api/get_posts"), settings_for(blog_url, tmp_path))
    own = [f for f in evidence.findings if not f.evidence.get("app_wide")]
    assert {(f.kind, f.evidence["file"]) for f in own} == {("code_n_plus_one", "app.py")}
    app_wide = {(f.kind, f.evidence["line"], f.evidence["app"]) for f in evidence.findings if f not in own}
    assert app_wide == {("code_csrf", 14, "app.py:14 (Flask)"), ("code_weak_auth", 16, "app.py:14 (Flask)"),
                        ("code_weak_auth", 115, "app.py:14 (Flask)")}, "CSRF off, the secret key, debug on"
    finding = own[0]
    assert "joinedload" in finding.evidence["patch"] or "selectinload" in finding.evidence["patch"]
    assert finding.evidence["fix_risk"] == "low"
    assert "app.py:get_posts" in evidence.checked[0]


def test_a_concrete_path_matches_a_parameterised_route(blog_url: str, tmp_path: Path):
    evidence = collect_evidence(request("blog", "endpoint /posts/42"), settings_for(blog_url, tmp_path))
    assert evidence.status == "success"
    assert "app.py:show_post" in evidence.checked[0]


def test_two_revisions_narrow_the_review_to_what_changed(tmp_path: Path):
    fixed, planted = app_files("flask_blog", "fixed"), app_files("flask_blog", "planted")
    changed = dict(fixed, **{"app.py": fixed["app.py"].replace(
        "Post.query.options(selectinload(Post.comments))", "Post.query")})
    work = release_repo(tmp_path / "blog", [("2.0.0", fixed), ("2.1.0", changed)])
    url = bare_clone(work, tmp_path / "blog.git")
    evidence = collect_evidence(request("blog", "revisions blog:2.0.0..blog:2.1.0"), settings_for(url, tmp_path))
    assert kinds(evidence) == {("code_n_plus_one", "app.py")}
    assert planted  # the planted flaws elsewhere in the file were not in the diff


def test_a_service_without_a_repository_answers_no_data(blog_url: str, tmp_path: Path):
    evidence = collect_evidence(request("checkout"), settings_for(blog_url, tmp_path))
    assert evidence.status == "no_data"
    assert "checkout" in evidence.error


def test_an_unreachable_repository_is_an_error_with_the_call(tmp_path: Path):
    evidence = collect_evidence(request("blog"), settings_for((tmp_path / "missing.git").as_uri(), tmp_path))
    assert evidence.status == "error"
    assert "review_code" in (evidence.failed_query or "")


def test_hints_carry_the_endpoint_and_revisions():
    arguments = review_arguments(request("blog", "repository configured for blog", "endpoint /api/x",
                                         "revisions 1.0..1.1"))
    assert arguments == {"service": "blog", "endpoint": "/api/x", "base": "1.0", "head": "1.1"}


def test_a_directory_source_is_read_from_disk_and_a_bare_mirror_is_refetched(tmp_path: Path):
    work = release_repo(tmp_path / "app", [("1.0.0", {"app.py": "x = 1\n"})])
    assert Repository(RepoSpec(str(work)), tmp_path / "cache").files() == {"app.py": "x = 1\n"}
    url = bare_clone(work, tmp_path / "app.git")
    repo = Repository(RepoSpec(url), tmp_path / "cache")
    assert repo.resolve("app:1.0.0") == git(work, "rev-parse", "HEAD")
    assert repo.resolve("9.9.9") is None
    with pytest.raises(SourceError):
        Repository(RepoSpec(str(tmp_path / "nowhere")), tmp_path / "cache")


def _cluster(tmp_path: Path, rolled_out_at: datetime) -> Path:
    """The blog's Deployment and its two ReplicaSets (version labels 2.0.0, then 2.1.0 at `rolled_out_at`)."""
    def replicaset(name: str, revision: int, version: str, created: datetime) -> dict:
        return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": name, "namespace": "shop", "creationTimestamp": created.isoformat(),
                             "annotations": {"deployment.kubernetes.io/revision": str(revision)},
                             "ownerReferences": [{"kind": "Deployment", "name": "blog"}]},
                "spec": {"template": {"metadata": {"labels": {"app.kubernetes.io/version": version}},
                                      "spec": {"containers": [{"name": "blog", "image": f"blog:{version}"}]}}}}
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "blog", "namespace": "shop"},
                  "spec": {"template": {"spec": {"containers": [{"name": "blog", "image": "blog:2.1.0"}]}}}}
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [
        deployment, replicaset("blog-a", 1, "2.0.0", rolled_out_at - timedelta(days=30)),
        replicaset("blog-b", 2, "2.1.0", rolled_out_at)]}))
    return path


@pytest.mark.parametrize("hours_ago", [0.5, 48])
def test_an_ordinary_incident_is_scoped_to_a_recent_rollout(tmp_path: Path, hours_ago: float):
    """No hints (a plain alert): a rollout inside the window or just before it narrows the review to its diff;
    one from two days ago does not, and the whole service is reviewed."""
    fixed = app_files("flask_blog", "fixed")
    changed = dict(fixed, **{"app.py": fixed["app.py"].replace(
        "Post.query.options(selectinload(Post.comments))", "Post.query")})
    work = release_repo(tmp_path / "blog", [("2.0.0", fixed), ("2.1.0", changed)])
    url = bare_clone(work, tmp_path / "blog.git")
    settings = Settings(home=tmp_path, code_repos={"blog": url},
                        kube_snapshot=_cluster(tmp_path, datetime.now(UTC) - timedelta(hours=hours_ago)))
    evidence = collect_evidence(request("blog"), settings)
    assert evidence.status == "success", evidence.error
    assert kinds(evidence) == {("code_n_plus_one", "app.py")}
    recent = hours_ago < 1
    assert ("whole service" in evidence.checked[0]) is not recent, evidence.checked
    assert ("2.1.0" in evidence.findings[0].query) is recent, evidence.findings[0].query
