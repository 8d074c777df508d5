"""App-wide findings: a review scoped to an endpoint or a diff also reports the flaws in the setup code of the app
that serves that code (its app object's module, factory and config object; Django's settings), marked with the
app, and never those of another app in the same repository."""

from __future__ import annotations

from support.code_rules import files_of

from functions._platform.domains.code.app_setup import project_apps, serving_apps
from functions._platform.domains.code.findings import to_finding
from functions._platform.domains.code.model import Project
from functions._platform.domains.code.review import review_project
from functions._platform.domains.code.scope import diff_scope, endpoint_scope

FLASK_FACTORY = {
    "shop/__init__.py": """
        from flask import Flask

        def create_app():
            app = Flask(__name__)
            app.config.from_object("shop.config.Production")
            from shop.orders import bp as orders
            app.register_blueprint(orders)
            return app
    """,
    "shop/config.py": """
        class Production:
            SECRET_KEY = "prod-signing-key-8f2a"
    """,
    "shop/orders.py": """
        from flask import Blueprint, jsonify
        from shop.models import Order

        bp = Blueprint("orders", __name__, url_prefix="/api")

        @bp.route("/orders")
        def list_orders():
            orders = Order.query.limit(50).all()
            return jsonify([{"id": o.id, "lines": [line.sku for line in o.lines]} for o in orders])
    """,
    "shop/models.py": """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()

        class Order(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            lines = db.relationship("Line")

        class Line(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            order_id = db.Column(db.Integer, db.ForeignKey("order.id"))
            sku = db.Column(db.String)
    """,
    "admin.py": """
        from flask import Flask, request

        admin = Flask(__name__)
        admin.config["SECRET_KEY"] = "admin-signing-key-77"

        @admin.route("/ban", methods=["POST"])
        def ban():
            return request.form["user"]

        if __name__ == "__main__":
            admin.run(debug=True)
    """,
}

FASTAPI_ROUTER = {
    "main.py": """
        from fastapi import FastAPI
        from routers import items

        API_KEY = "sk_live_4eC39HqLyjWDarjtT1"
        app = FastAPI()
        app.include_router(items.router)
    """,
    "routers/__init__.py": "",
    "routers/items.py": """
        import sqlite3
        from fastapi import APIRouter

        router = APIRouter(prefix="/items")

        @router.get("/{sku}")
        def item(sku: str):
            return sqlite3.connect("shop.db").execute(f"SELECT * FROM item WHERE sku = '{sku}'").fetchone()
    """,
}

DJANGO_TWO_SITES = {
    "site/settings.py": """
        SECRET_KEY = "django-insecure-q8#2kv!x7"
        ROOT_URLCONF = "site.urls"
        MIDDLEWARE = [
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
        ]
    """,
    "site/urls.py": """
        from django.urls import include, path

        urlpatterns = [path("shop/", include("shop.urls"))]
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [path("orders/", views.orders)]
    """,
    "shop/views.py": """
        from django.db import connection

        def orders(request):
            term = request.GET["q"]
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT id FROM orders WHERE note LIKE '%{term}%'")
                return cursor.fetchall()
    """,
    "legacy/settings.py": """
        DEBUG = True
        ROOT_URLCONF = "legacy.urls"
    """,
    "legacy/urls.py": """
        urlpatterns = []
    """,
}


def project(files: dict[str, str]) -> Project:
    return Project.from_files(files_of(files))


def found(review) -> set[tuple[str, str, str]]:
    """(rule, file, app) of each issue; app is empty for the reviewed code's own issues."""
    return {(i.rule, i.file, i.app) for i in review.issues}


def test_a_blueprint_endpoint_gets_the_flaws_of_the_factory_app_that_registers_it_and_no_other_app():
    shop = project(FLASK_FACTORY)
    review = review_project(shop, endpoint_scope(shop, "/api/orders"), use_bandit=False)
    assert found(review) == {("n_plus_one", "shop/orders.py", ""),
                             ("weak_auth", "shop/config.py", "shop/__init__.py:4 (Flask)")}


def test_an_api_router_endpoint_gets_the_flaws_of_the_fastapi_app_that_includes_it():
    service = project(FASTAPI_ROUTER)
    review = review_project(service, endpoint_scope(service, "/items/abc"), use_bandit=False)
    assert found(review) == {("sql_injection", "routers/items.py", ""),
                             ("weak_auth", "main.py", "main.py:5 (FastAPI)")}


def test_a_django_view_gets_the_flaws_of_the_settings_whose_urlconf_routes_to_it():
    sites = project(DJANGO_TWO_SITES)
    review = review_project(sites, endpoint_scope(sites, "/shop/orders/"), use_bandit=False)
    label = "site/settings.py (Django settings)"
    assert found(review) == {("sql_injection", "shop/views.py", ""), ("weak_auth", "site/settings.py", label),
                             ("csrf", "site/settings.py", label)}


def test_a_diff_to_a_handler_gets_the_flaws_of_its_app():
    shop = project(FLASK_FACTORY)
    line = next(n for n, text in enumerate(shop.modules["admin.py"].lines, 1) if "request.form" in text)
    review = review_project(shop, diff_scope(shop, {"admin.py": {line}}), use_bandit=False)
    assert found(review) == {("csrf", "admin.py", "admin.py:3 (Flask)"), ("weak_auth", "admin.py", "admin.py:3 (Flask)")}
    assert {i.line for i in review.issues} == {3, 4, 11}, "the app object, its secret and its debug run"


def test_a_handler_traced_to_no_app_gets_the_projects_only_app():
    service = project({**FASTAPI_ROUTER, "routers/items.py": FASTAPI_ROUTER["routers/items.py"].replace(
        "router = APIRouter", "router = make_router").replace("from fastapi import APIRouter", "")})
    [app] = serving_apps(service, [(service.modules["routers/items.py"], service.modules["routers/items.py"].tree
                                    .body[-1])])
    assert app.label == "main.py:5 (FastAPI)"


def test_the_whole_service_review_marks_each_apps_own_setup_flaws():
    review = review_project(project(FLASK_FACTORY), use_bandit=False)
    assert ("weak_auth", "shop/config.py", "shop/__init__.py:4 (Flask)") in found(review)
    assert ("csrf", "admin.py", "admin.py:3 (Flask)") in found(review)
    assert ("n_plus_one", "shop/orders.py", "") in found(review)
    assert len(project_apps(project(DJANGO_TWO_SITES))) == 2, "two settings modules, two sites"


def test_an_app_wide_finding_is_marked_gets_no_endpoint_boost_and_waits_for_a_responder():
    shop = project(FLASK_FACTORY)
    review = review_project(shop, endpoint_scope(shop, "/api/orders"), use_bandit=False)
    policy = frozenset({"low", "medium"})
    by_rule = {i.rule: to_finding(i, "shop", "review", "/api/orders", None, policy) for i in review.issues}
    wide, own = by_rule["weak_auth"], by_rule["n_plus_one"]
    assert wide.evidence["app_wide"] is True and wide.evidence["app"] == "shop/__init__.py:4 (Flask)"
    assert wide.evidence["requires_approval"] is True and wide.evidence["fix_risk"] == "medium"
    assert "app_wide" not in own.evidence and own.evidence["requires_approval"] is False
