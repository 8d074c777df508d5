"""Narrowing the review: an endpoint to its handler (Flask, FastAPI, Django urls, Flask `add_url_rule`, Starlette
`Route`/`Mount` lists; a literal segment before a parameter), two revisions to what changed."""

from __future__ import annotations

import pytest
from support.code_review_apps import app_project
from support.code_rules import files_of

from functions._platform.domains.code.model import Project
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


def _scope(files: dict[str, str], endpoint: str):
    return endpoint_scope(Project.from_files(files_of(files)), endpoint)


FLASK_RULES = {
    "app.py": """
        from flask import Flask
        from views import index
        from admin import bp

        app = Flask(__name__)
        app.config["SECRET_KEY"] = "site-signing-key-9"

        def view_post(post_id):
            return str(post_id)

        app.add_url_rule("/", view_func=index)
        app.add_url_rule("/posts/<int:post_id>", "post", view_post)
        app.register_blueprint(bp)
    """,
    "views.py": """
        def index():
            return "home"
    """,
    "admin.py": """
        from flask import Blueprint, Flask, request
        from flask.views import MethodView

        bp = Blueprint("admin", __name__, url_prefix="/admin")
        other = Flask("other")
        other.config["SECRET_KEY"] = "other-signing-key-3"

        class UserList(MethodView):
            def post(self):
                return request.form["name"]

        bp.add_url_rule("/users", view_func=UserList.as_view("users"), methods=["GET", "POST"])
    """,
}

STARLETTE = {
    "main.py": """
        from starlette.applications import Starlette
        from starlette.routing import Mount, Route

        async def homepage(request):
            return None

        async def user(request):
            return None

        async def orders(request):
            return None

        api_v2 = [Route("/orders", orders, methods=["POST"])]
        routes = [
            Route("/", homepage),
            Mount("/api", routes=[Route("/users/{user_id}", endpoint=user), Mount("/v2", routes=api_v2)]),
        ]
        app = Starlette(routes=routes)
    """,
}


@pytest.mark.parametrize(("endpoint", "handlers"), [
    ("/", ["views.py:index"]),
    ("/posts/7", ["app.py:view_post"]),
    ("/admin/users", ["admin.py:UserList"]),
    ("/users", ["admin.py:UserList"]),  # the url prefix unknown to the caller: matched on the route's own path
    ("/nowhere", []),
])
def test_flask_views_registered_with_add_url_rule_map_to_their_handlers(endpoint, handlers):
    assert _scope(FLASK_RULES, endpoint).handlers == handlers


def test_a_view_registered_on_a_blueprint_gets_the_app_wide_flaws_of_the_app_mounting_it_only():
    scope = _scope(FLASK_RULES, "/admin/users")
    assert [app.label for app in scope.apps] == ["app.py:5 (Flask)"]


@pytest.mark.parametrize(("endpoint", "handlers"), [
    ("/", ["main.py:homepage"]),
    ("/api/users/3", ["main.py:user"]),
    ("/api/v2/orders", ["main.py:orders"]),
    ("/api/orders", []),
])
def test_starlette_routes_map_to_their_endpoints_under_their_mounts(endpoint, handlers):
    assert _scope(STARLETTE, endpoint).handlers == handlers


@pytest.mark.parametrize(("endpoint", "handler"), [
    ("/items/low", "main.py:low_stock"),
    ("/items/abc-1", "main.py:item_by_sku"),
])
def test_a_literal_path_segment_wins_over_a_parameter_as_the_frameworks_route(endpoint, handler):
    assert endpoint_scope(app_project("fastapi_inventory", "planted"), endpoint).handlers == [handler]


def test_the_literal_route_wins_wherever_it_is_declared():
    source = """
        from flask import Flask
        app = Flask(__name__)

        @app.route("/users/<name>")
        def profile(name):
            return name

        @app.route("/users/me")
        def me():
            return "me"

        @app.route("/users/<name>/posts")
        def posts(name):
            return name
    """
    assert _scope({"app.py": source}, "/users/me").handlers == ["app.py:me"]
    assert _scope({"app.py": source}, "/users/ann").handlers == ["app.py:profile"]
    assert _scope({"app.py": source}, "/users/me/posts").handlers == ["app.py:posts"]
