"""unbounded_query: an endpoint that reads a whole table (Flask-SQLAlchemy, SQLAlchemy 1.x and 2.0, Django);
filtered, limited, sliced or paginated reads and code outside endpoints give nothing; the fix is a suggestion."""

from __future__ import annotations

import pytest
from support.code_rules import check, where

from functions._platform.domains.code.model import Project
from functions._platform.domains.code.review import review_project
from functions._platform.domains.code.rules.unbounded_query import UnboundedQuery

FLASK = "from flask import Flask, jsonify\nfrom models import User\napp = Flask(__name__)\n" \
        "@app.route('/users')\ndef users():\n"
FASTAPI = "from fastapi import FastAPI\nfrom sqlalchemy import select\nfrom models import Item\napp = FastAPI()\n" \
          "@app.get('/items')\ndef items(session, db):\n"
DJANGO = "from django.http import JsonResponse\nfrom shop.models import Review\ndef reviews(request):\n"


@pytest.mark.parametrize("path, prefix, read, line", [
    ("app.py", FLASK, "User.query.all()", 6),
    ("app.py", FASTAPI, "db.query(Item).all()", 7),
    ("app.py", FASTAPI, "session.scalars(select(Item)).all()", 7),
    ("app.py", FASTAPI, "session.query(Item).order_by(Item.name).all()", 7),
    ("shop/views.py", DJANGO, "Review.objects.all()", 4),
    ("shop/views.py", DJANGO, "Review.objects.order_by('-created').all()", 4),
])
def test_an_endpoint_reading_a_whole_table_is_flagged(path, prefix, read, line):
    found = check(UnboundedQuery(), {path: prefix + f"    rows = {read}\n    return rows\n"})
    assert where(found) == [(path, line, "CWE-770", "medium")]
    assert found[0].rule == "unbounded_query" and found[0].category == "performance"


@pytest.mark.parametrize("path, prefix, read", [
    ("app.py", FLASK, "User.query.limit(100).all()"),
    ("app.py", FLASK, "User.query.paginate(page=1, per_page=20).items"),
    ("app.py", FLASK, "User.query.filter_by(active=True).all()"),
    ("app.py", FASTAPI, "session.scalars(select(Item).limit(50)).all()"),
    ("app.py", FASTAPI, "db.query(Item).filter(Item.stock > 0).all()"),
    ("shop/views.py", DJANGO, "Review.objects.all()[:20]"),
    ("shop/views.py", DJANGO, "Review.objects.filter(stars__gte=4).all()"),
    ("shop/views.py", DJANGO, "Review.objects.count()"),
    ("app.py", FLASK, "sorted(['b', 'a'])"),
])
def test_bounded_reads_are_not(path, prefix, read):
    assert check(UnboundedQuery(), {path: prefix + f"    rows = {read}\n    return rows\n"}) == []


def test_a_whole_table_read_outside_an_endpoint_is_not():
    source = "from models import User\ndef export_all(db):\n    return User.query.all()\n"
    assert check(UnboundedQuery(), {"jobs.py": source, "views_helpers.py": source}) == []


def test_the_fix_is_a_suggestion_to_paginate_and_no_patch():
    source = FLASK + "    return jsonify([u.name for u in User.query.all()])\n"
    [hit] = [i for i in review_project(Project.from_files({"app.py": source}), use_bandit=False).issues
             if i.rule == "unbounded_query"]
    assert hit.line == 6 and "Paginate" in hit.fix.suggestion and not hit.fix.edits and hit.patch is None
