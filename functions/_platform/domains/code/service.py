"""Review one service: find its repository in SREO_CODE_REPOS, read its source, narrow it to an endpoint or a
diff between two revisions, and run the review."""

from __future__ import annotations

from dataclasses import dataclass

from functions._platform.config import Settings
from functions._platform.domains.code.model import Project
from functions._platform.domains.code.review import Review, review_project
from functions._platform.domains.code.scope import Scope, diff_scope, endpoint_scope
from functions._platform.domains.code.source import Repository, RepoSpec, SourceError


@dataclass
class ReviewRequest:
    service: str
    endpoint: str | None = None
    base: str | None = None  # revision names as a rollout shows them: image tag, version label, commit
    head: str | None = None

    def describe(self) -> str:
        parts = [f"review service={self.service}"]
        if self.endpoint:
            parts.append(f"endpoint={self.endpoint}")
        if self.base and self.head:
            parts.append(f"revisions={self.base}..{self.head}")
        return " ".join(parts)


@dataclass
class ServiceReview:
    review: Review
    revision: str | None
    scope_note: str


def repository(settings: Settings, service: str) -> Repository:
    if service not in settings.code_repos:
        raise SourceError(f"no repository configured for {service} (SREO_CODE_REPOS)")
    cache = settings.code_cache_dir or settings.home / "code"
    return Repository(RepoSpec.parse(settings.code_repos[service]), cache)


def review_service(settings: Settings, request: ReviewRequest) -> ServiceReview:
    repo = repository(settings, request.service)
    head = repo.resolve(request.head) if request.head else None
    base = repo.resolve(request.base) if request.base else None
    notes = []
    if request.head and head is None:
        notes.append(f"revision {request.head} maps to no commit; reviewed the default branch")
    project = Project.from_files(repo.files(head), head)
    scope: Scope | None = None
    if base and head:
        scope = diff_scope(project, repo.changed_lines(base, head))
        notes.append(f"diff {request.base}..{request.head}: {len(scope.files)} changed file(s)")
    if request.endpoint:
        narrowed = endpoint_scope(project, request.endpoint)
        if narrowed.files:
            scope = narrowed if scope is None else _intersection_or(scope, narrowed)
            notes.append(f"endpoint {request.endpoint}: {', '.join(narrowed.handlers) or 'no handler'}")
        else:
            notes.append(f"endpoint {request.endpoint}: no route matches; reviewed the whole service")
    review = review_project(project, scope, use_bandit=settings.review_bandit)
    return ServiceReview(review, head or project.revision, "; ".join(notes) or "whole service")


def _intersection_or(diff: Scope, endpoint: Scope) -> Scope:
    """The endpoint's code the diff touched; the endpoint's code alone when the diff did not touch it."""
    shared = Scope({path: ranges for path, ranges in endpoint.files.items() if path in diff.files},
                   endpoint.handlers, endpoint.apps)
    return shared if shared.files else endpoint
