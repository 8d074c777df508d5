"""csrf: a Flask app taking form posts without CSRFProtect, a Django view marked `@csrf_exempt`, Django settings
whose MIDDLEWARE lacks CsrfViewMiddleware; each fixed twin gives nothing, and each patch removes its finding."""

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


@pytest.mark.parametrize("source", [
    FLASK_PROTECTED,
    'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef index():\n    return "hi"\n',
    {"app.py": "from flask import Flask\napp = Flask(__name__)\nfrom views import *\n",
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
