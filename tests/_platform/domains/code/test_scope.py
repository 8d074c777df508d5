"""Narrowing the review: an endpoint to its handler (Flask, FastAPI, Django urls), two revisions to what changed."""

from __future__ import annotations

from support.code_review_apps import app_project

from functions._platform.domains.code.scope import diff_scope, endpoint_scope


def test_a_django_endpoint_maps_through_urls_to_its_view():
    scope = endpoint_scope(app_project("django_shop", "planted"), "/books/")
    assert scope.handlers == ["shop/views.py:book_list"]
    assert list(scope.files) == ["shop/views.py"]


def test_a_flask_endpoint_maps_to_its_decorated_handler():
    scope = endpoint_scope(app_project("flask_blog", "planted"), "/api/get_posts")
    assert scope.handlers == ["app.py:get_posts"]


def test_a_diff_maps_to_the_functions_holding_the_changed_lines():
    project = app_project("flask_blog", "planted")
    line = next(n for n, text in enumerate(project.modules["app.py"].lines, 1) if "users = User.query.all()" in text)
    scope = diff_scope(project, {"app.py": {line}})
    (start, end), = scope.files["app.py"]
    assert start < line <= end and "def authors" in project.modules["app.py"].lines[start]
