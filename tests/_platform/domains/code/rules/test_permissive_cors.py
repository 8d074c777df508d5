"""permissive_cors: flask-cors with its every-origin default or `*`, Starlette/FastAPI CORSMiddleware letting
every origin in, django-cors-headers' allow-all setting; high with credentials, medium without; listed origins
give nothing; an endpoint-scoped review reports it as the serving app's app-wide flaw."""

from __future__ import annotations

import pytest
from support.code_rules import check, files_of, where

from functions._platform.domains.code.model import Project
from functions._platform.domains.code.review import review_project
from functions._platform.domains.code.rules.permissive_cors import PermissiveCors
from functions._platform.domains.code.scope import endpoint_scope

FLASK = "from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\n"
FASTAPI = "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\n"


@pytest.mark.parametrize("source, severity", [
    (FLASK + "CORS(app)\n", "medium"),
    (FLASK + "CORS(app, origins='*', supports_credentials=True)\n", "high"),
    (FASTAPI + "app.add_middleware(CORSMiddleware, allow_origins=['*'])\n", "medium"),
    (FASTAPI + "app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=True)\n", "high"),
    (FASTAPI + "app.add_middleware(CORSMiddleware, allow_origin_regex='.*', allow_credentials=True)\n", "high"),
])
def test_a_policy_letting_every_origin_in_is_flagged_where_it_is_set(source, severity):
    found = check(PermissiveCors(), source)
    assert where(found) == [("app.py", 4, "CWE-942", severity)]
    assert found[0].rule == "permissive_cors" and found[0].fix.risk == "critical" and not found[0].fix.edits


@pytest.mark.parametrize("source", [
    FLASK + "CORS(app, origins=['https://shop.example.com'])\n",
    FLASK + "CORS(app, resources={r'/api/*': {'origins': 'https://shop.example.com'}})\n",
    FASTAPI + "app.add_middleware(CORSMiddleware, allow_origins=['https://shop.example.com'])\n",
    "from somewhere import CORS\nCORS(app)\n",  # not flask-cors
])
def test_listed_origins_or_another_library_give_nothing(source):
    assert check(PermissiveCors(), source) == []


def test_a_flask_route_decorated_to_let_every_origin_in_is_flagged():
    source = FLASK + "from flask_cors import cross_origin\n@app.route('/feed')\n@cross_origin()\ndef feed():\n" \
                     "    return ''\n"
    assert where(check(PermissiveCors(), source)) == [("app.py", 6, "CWE-942", "medium")]


def test_django_settings_allowing_every_origin_with_cookies_are_high():
    found = check(PermissiveCors(), {"settings.py": "CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n"})
    assert where(found) == [("settings.py", 1, "CWE-942", "high")]
    assert check(PermissiveCors(), {"settings.py": "CORS_ALLOW_ALL_ORIGINS = False\n"}) == []


def test_an_endpoint_review_reports_the_serving_apps_cors_policy_as_app_wide():
    files = files_of({"main.py": FASTAPI + "app.add_middleware(CORSMiddleware, allow_origins=['*'])\n"
                                           "@app.get('/items')\ndef items():\n    return []\n"})
    project = Project.from_files(files)
    review = review_project(project, endpoint_scope(project, "/items"), use_bandit=False)
    assert [(i.rule, i.line, i.app) for i in review.issues] == [("permissive_cors", 4, "main.py:3 (FastAPI)")]
