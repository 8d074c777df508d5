"""csrf: a Flask app (module-level or built in an app factory) taking form posts without CSRFProtect bound to it, or
whose setup sets WTF_CSRF_ENABLED = False; a Django view marked `@csrf_exempt`; Django settings whose MIDDLEWARE
lacks CsrfViewMiddleware; each fixed twin gives nothing, and each patch removes its finding."""

from __future__ import annotations

import pytest
from support.code_rules import check, reviewed_patch, where

from functions._platform.domains.code.rules.csrf import CSRF_MIDDLEWARE, Csrf

FLASK_FORM = """
    from flask import Flask, request
    app = Flask(__name__)

    @app.route("/comment", methods=["POST"])
    def comment():
        return request.form["text"]
"""

FLASK_PROTECTED = """
    from flask import Flask, request
    from flask_wtf.csrf import CSRFProtect
    app = Flask(__name__)
    csrf = CSRFProtect(app)

    @app.route("/comment", methods=["POST"])
    def comment():
        return request.form["text"]
"""

DJANGO_EXEMPT = """
    from django.http import JsonResponse
    from django.views.decorators.csrf import csrf_exempt

    @csrf_exempt
    def transfer(request):
        return JsonResponse({"ok": True})
"""

SETTINGS = """
    DEBUG = False
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ]
"""


def test_a_flask_app_taking_form_posts_without_csrfprotect_is_flagged_at_the_app():
    found = check(Csrf(), FLASK_FORM)
    assert where(found) == [("app.py", 2, "CWE-352", "high")]
    assert found[0].rule == "csrf" and found[0].category == "security" and found[0].fix.risk == "critical"


@pytest.mark.parametrize("route", [
    '@app.route("/save", methods=["PUT"])\ndef save():\n    return ""\n',
    '@app.post("/save")\ndef save():\n    return ""\n',
])
def test_any_write_route_of_a_flask_app_counts_as_taking_posts(route):
    assert [hit.line for hit in check(Csrf(), "from flask import Flask\napp = Flask(__name__)\n" + route)] == [2]


def test_a_write_view_registered_with_add_url_rule_counts_as_taking_posts():
    source = ("from flask import Flask\napp = Flask(__name__)\ndef save():\n    return ''\n"
              "app.add_url_rule('/save', view_func=save, methods=['POST'])\n")
    assert [hit.line for hit in check(Csrf(), source)] == [2]
    assert check(Csrf(), source.replace("methods=['POST']", "methods=['GET']")) == []


@pytest.mark.parametrize("source", [
    FLASK_PROTECTED,
    'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef index():\n    return "hi"\n',
    {"app.py": "from flask import Flask\nfrom extensions import csrf\napp = Flask(__name__)\ncsrf.init_app(app)\n"
               "from views import *\n",
     "extensions.py": "from flask_wtf.csrf import CSRFProtect\ncsrf = CSRFProtect()\n",
     "views.py": "from flask import request\nfrom app import app\n@app.post('/c')\ndef c():\n"
                 "    return request.form['t']\n"},
])
def test_a_protected_or_read_only_flask_app_is_not(source):
    assert check(Csrf(), source) == []


def test_the_flask_patch_adds_csrfprotect_and_the_finding_goes(tmp_path):
    hit, after = reviewed_patch(Csrf(), FLASK_FORM, tmp_path)
    assert hit.patch_verified
    assert "from flask_wtf.csrf import CSRFProtect\n" in after["app.py"]
    assert "app = Flask(__name__)\ncsrf = CSRFProtect(app)\n" in after["app.py"]
    assert check(Csrf(), after) == []


FACTORY = {
    "shop/__init__.py": """
        from flask import Flask

        def create_app():
            app = Flask(__name__)
            app.config.from_object("shop.config.Production")
            from shop.orders import bp
            app.register_blueprint(bp)
            return app
    """,
    "shop/config.py": """
        class Production:
            SESSION_COOKIE_SECURE = True

        class Testing(Production):
            WTF_CSRF_ENABLED = False
    """,
    "shop/orders.py": """
        from flask import Blueprint, request

        bp = Blueprint("orders", __name__, url_prefix="/orders")

        @bp.route("/", methods=["POST"])
        def place():
            return request.form["sku"]
    """,
}
EXTENSIONS = "from flask_wtf.csrf import CSRFProtect\nfrom flask_sqlalchemy import SQLAlchemy\n" \
             "csrf = CSRFProtect()\ndb = SQLAlchemy()\n"


def with_factory_lines(*lines: str, **files: str) -> dict[str, str]:
    """FACTORY with lines added to create_app after `app = Flask(__name__)`, and other files added or replaced."""
    body = "".join(f"            {line}\n" for line in lines)
    factory = FACTORY["shop/__init__.py"].replace("app = Flask(__name__)\n", "app = Flask(__name__)\n" + body)
    return {**FACTORY, "shop/__init__.py": factory, **{p.replace("__", "/") + ".py": t for p, t in files.items()}}


def test_an_app_built_in_a_factory_is_checked_and_flagged_at_its_flask_call():
    [hit] = check(Csrf(), FACTORY)
    assert where([hit]) == [("shop/__init__.py", 4, "CWE-352", "high")] and hit.symbol == "create_app"


def test_the_factory_patch_protects_the_app_inside_the_factory_and_the_finding_goes(tmp_path):
    hit, after = reviewed_patch(Csrf(), FACTORY, tmp_path)
    assert hit.patch_verified
    assert "    app = Flask(__name__)\n    csrf = CSRFProtect(app)\n" in after["shop/__init__.py"]
    assert check(Csrf(), after) == []


@pytest.mark.parametrize("files", [
    with_factory_lines("from shop.extensions import csrf", "csrf.init_app(app)", shop__extensions=EXTENSIONS),
    with_factory_lines("from shop.extensions import csrf, db", "for extension in (db, csrf):",
                       "    extension.init_app(app)", shop__extensions=EXTENSIONS),
    with_factory_lines("from flask_wtf.csrf import CSRFProtect", "CSRFProtect(app)"),
    with_factory_lines("from shop.extensions import register", "register(app)",
                       shop__extensions=EXTENSIONS + "def register(app):\n    csrf.init_app(app)\n"),
    {**FACTORY, "wsgi.py": "from flask_wtf.csrf import CSRFProtect\nfrom shop import create_app\n"
                           "app = create_app()\nCSRFProtect(app)\n"},
    {**FACTORY, "shop/orders.py": FACTORY["shop/orders.py"].replace(', methods=["POST"]', "").replace(
        'request.form["sku"]', '"orders"')},
])
def test_a_factory_app_protected_anywhere_or_taking_no_form_writes_is_not(files):
    assert check(Csrf(), files) == []


def test_a_csrfprotect_never_bound_to_the_app_protects_nothing():
    assert [hit.line for hit in check(Csrf(), with_factory_lines(shop__extensions=EXTENSIONS))] == [4]


def test_protecting_one_app_leaves_the_others_flagged():
    admin = ("from flask import Flask, request\nfrom flask_wtf.csrf import CSRFProtect\nadmin = Flask(__name__)\n"
             "CSRFProtect(admin)\n@admin.post('/ban')\ndef ban():\n    return request.form['user']\n")
    assert where(check(Csrf(), {**FACTORY, "admin.py": admin})) == [("shop/__init__.py", 4, "CWE-352", "high")]
    protected = with_factory_lines("from flask_wtf.csrf import CSRFProtect", "CSRFProtect(app)")
    assert check(Csrf(), {**protected, "admin.py": admin}) == []
    unprotected = admin.replace("CSRFProtect(admin)\n", "")
    assert where(check(Csrf(), {**protected, "admin.py": unprotected})) == [("admin.py", 3, "CWE-352", "high")]


PROTECTED = ("from flask_wtf.csrf import CSRFProtect", "CSRFProtect(app)")


@pytest.mark.parametrize(("files", "at"), [
    (with_factory_lines(*PROTECTED, 'app.config["WTF_CSRF_ENABLED"] = False'), ("shop/__init__.py", 7)),
    (with_factory_lines(*PROTECTED, "app.config.update(WTF_CSRF_ENABLED=False)"), ("shop/__init__.py", 7)),
    (with_factory_lines(*PROTECTED, 'app.config.update({"WTF_CSRF_ENABLED": False})'), ("shop/__init__.py", 7)),
    ({**with_factory_lines(*PROTECTED), "shop/config.py": FACTORY["shop/config.py"].replace(
        "SESSION_COOKIE_SECURE = True", "WTF_CSRF_ENABLED = False")}, ("shop/config.py", 2)),
])
def test_wtf_csrf_enabled_false_in_the_apps_setup_is_flagged_where_it_is_set(files, at):
    found = check(Csrf(), files)
    assert [(hit.file, hit.line) for hit in found] == [at] and "WTF_CSRF_ENABLED" in found[0].message


def test_a_testing_config_the_app_does_not_load_does_not_turn_it_off():
    assert check(Csrf(), with_factory_lines(*PROTECTED)) == []
    loads_testing = with_factory_lines(*PROTECTED)
    loads_testing["shop/__init__.py"] = loads_testing["shop/__init__.py"].replace("config.Production", "config.Testing")
    assert [(hit.file, hit.line) for hit in check(Csrf(), loads_testing)] == [("shop/config.py", 5)]


def test_the_switch_patch_turns_the_protection_back_on_and_the_finding_goes(tmp_path):
    files = with_factory_lines(*PROTECTED, 'app.config["WTF_CSRF_ENABLED"] = False')
    hit, after = reviewed_patch(Csrf(), files, tmp_path)
    assert hit.patch_verified and 'app.config["WTF_CSRF_ENABLED"] = True' in after["shop/__init__.py"]
    assert check(Csrf(), after) == []


def test_a_csrf_exempt_django_view_is_flagged_at_the_decorator():
    found = check(Csrf(), {"shop/views.py": DJANGO_EXEMPT})
    assert where(found) == [("shop/views.py", 4, "CWE-352", "high")]
    assert found[0].symbol == "transfer" and "transfer" in found[0].message


def test_a_view_without_the_exemption_is_not():
    source = DJANGO_EXEMPT.replace("    @csrf_exempt\n", "")
    assert check(Csrf(), {"shop/views.py": source}) == []


def test_the_exempt_patch_drops_the_decorator_line_and_the_finding_goes(tmp_path):
    hit, after = reviewed_patch(Csrf(), {"shop/views.py": DJANGO_EXEMPT}, tmp_path)
    assert hit.patch_verified
    assert "@csrf_exempt" not in after["shop/views.py"] and "def transfer(request):" in after["shop/views.py"]
    assert check(Csrf(), after) == []


def test_an_exemption_sharing_its_line_gets_only_a_suggestion():
    source = "from django.views.decorators.csrf import csrf_exempt\n" \
             "def view(request): return None\nview = csrf_exempt(view)\n" \
             "class Hook:\n    @csrf_exempt  # the payment provider cannot send a token\n" \
             "    def dispatch(self, request):\n        return None\n"
    [hit] = check(Csrf(), {"shop/views.py": source})
    assert hit.line == 5 and hit.fix.suggestion and not hit.fix.edits


def test_django_middleware_without_csrf_is_flagged():
    found = check(Csrf(), {"settings.py": SETTINGS})
    assert where(found) == [("settings.py", 2, "CWE-352", "high")]


@pytest.mark.parametrize("settings", [
    SETTINGS.replace('"django.middleware.common.CommonMiddleware",',
                     f'"django.middleware.common.CommonMiddleware",\n        "{CSRF_MIDDLEWARE}",'),
    'MIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]\n',
    "INSTALLED_APPS = ['django.contrib.admin']\n",
])
def test_middleware_with_csrf_or_not_djangos_is_not(settings):
    assert check(Csrf(), {"settings.py": settings}) == []


def test_the_middleware_patch_adds_csrf_after_the_sessions_and_the_finding_goes(tmp_path):
    hit, after = reviewed_patch(Csrf(), {"settings.py": SETTINGS}, tmp_path)
    assert hit.patch_verified
    assert f"\"django.contrib.sessions.middleware.SessionMiddleware\", '{CSRF_MIDDLEWARE}'," in after["settings.py"]
    assert check(Csrf(), after) == []
