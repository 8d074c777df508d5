"""sql_injection: SQL built from values and run by DB-API `execute`, SQLAlchemy `text()` or Django `raw()`; bound
parameters give nothing; the patch turns the values into parameters in the driver's style and the finding goes."""

from __future__ import annotations

import pytest
from support.code_rules import check, reviewed_patch, where

from functions._platform.domains.code.bandit_scan import bandit_issues
from functions._platform.domains.code.model import Project
from functions._platform.domains.code.review import review_project
from functions._platform.domains.code.rules.sql_injection import SqlInjection

SQLITE = "import sqlite3\nfrom flask import Flask, request\napp = Flask(__name__)\n" \
         "@app.route('/users')\ndef users():\n    conn = sqlite3.connect('app.db')\n    name = request.args['name']\n"
PSYCOPG = "import psycopg2\ndef order(conn, order_id, status):\n    cursor = conn.cursor()\n"
SQLALCHEMY = "from fastapi import FastAPI\nfrom sqlalchemy import text\napp = FastAPI()\n" \
             "@app.get('/items')\ndef items(session, q: str):\n"
DJANGO = "from shop.models import Book\ndef search(request):\n    q = request.GET['q']\n"


@pytest.mark.parametrize("prefix, line", [
    (SQLITE + "    return conn.execute(f\"SELECT * FROM users WHERE name = '{name}'\").fetchall()\n", 8),
    (SQLITE + "    return conn.execute(\"SELECT * FROM users WHERE name = '%s'\" % name).fetchall()\n", 8),
    (SQLITE + "    return conn.execute('SELECT * FROM users WHERE name = ' + name).fetchall()\n", 8),
    (SQLITE + "    return conn.execute('SELECT * FROM users WHERE name = {}'.format(name)).fetchall()\n", 8),
    (SQLITE + "    sql = f\"DELETE FROM users WHERE name = '{name}'\"\n    conn.executescript(sql)\n", 8),
    (PSYCOPG + "    cursor.execute('UPDATE orders SET status = %s WHERE id = %d' % (status, order_id))\n", 4),
    (SQLALCHEMY + "    return session.execute(text(f\"SELECT * FROM items WHERE name LIKE '%{q}%'\")).all()\n", 6),
    (DJANGO + "    return Book.objects.raw(f\"SELECT * FROM shop_book WHERE title = '{q}'\")\n", 4),
])
def test_sql_built_from_values_is_flagged_where_it_is_built(prefix, line):
    found = check(SqlInjection(), prefix)
    assert where(found) == [("app.py", line, "CWE-89", "critical")]
    assert found[0].rule == "sql_injection" and found[0].category == "security" and found[0].fix.suggestion


@pytest.mark.parametrize("prefix", [
    SQLITE + "    return conn.execute('SELECT * FROM users WHERE name = ?', (name,)).fetchall()\n",
    SQLITE + "    return conn.execute('SELECT COUNT(*) FROM users').fetchone()\n",
    SQLITE + "    sql = 'SELECT * FROM users WHERE name = ?'\n    return conn.execute(sql, (name,)).fetchall()\n",
    PSYCOPG + "    cursor.execute('UPDATE orders SET status = %s WHERE id = %s', (status, order_id))\n",
    SQLALCHEMY + "    return session.execute(text('SELECT * FROM items WHERE name LIKE :q'), {'q': f'%{q}%'}).all()\n",
    DJANGO + "    return Book.objects.raw('SELECT * FROM shop_book WHERE title = %s', [q])\n",
    DJANGO + "    return Book.objects.filter(title=f'{q}')\n",
])
def test_bound_parameters_and_fixed_sql_are_not(prefix):
    assert check(SqlInjection(), prefix) == []


@pytest.mark.parametrize("prefix, fixed", [
    (SQLITE + "    return conn.execute(f\"SELECT * FROM users WHERE name = '{name}'\").fetchall()\n",
     "conn.execute('SELECT * FROM users WHERE name = ?', (name,))"),
    (SQLITE + "    sql = f\"DELETE FROM users WHERE name = '{name}'\"\n    conn.execute(sql)\n",
     "sql = 'DELETE FROM users WHERE name = ?'\n    conn.execute(sql, (name,))"),
    (PSYCOPG + "    cursor.execute('UPDATE orders SET status = %s WHERE id = %d' % (status, order_id))\n",
     "cursor.execute('UPDATE orders SET status = %s WHERE id = %s', (status, order_id))"),
    (SQLALCHEMY + "    return session.execute(text(f\"SELECT * FROM items WHERE name LIKE '%{q}%'\")).all()\n",
     "session.execute(text('SELECT * FROM items WHERE name LIKE :p1'), {\"p1\": f'%{q}%'})"),
    (DJANGO + "    return Book.objects.raw(f\"SELECT * FROM shop_book WHERE title = '{q}'\")\n",
     "Book.objects.raw('SELECT * FROM shop_book WHERE title = %s', (q,))"),
    # Django takes `%s` on SQLite too, whatever else the module imports
    ("import sqlite3\n" + DJANGO + "    return Book.objects.raw(f\"SELECT * FROM shop_book WHERE title = '{q}'\")\n",
     "Book.objects.raw('SELECT * FROM shop_book WHERE title = %s', (q,))"),
    ("import sqlite3\nfrom django.db import connection\n" + DJANGO
     + "    with connection.cursor() as cursor:\n        cursor.execute(f\"SELECT id FROM shop_book WHERE title = '{q}'\")\n",
     "cursor.execute('SELECT id FROM shop_book WHERE title = %s', (q,))"),
    # a module that only names sqlite3 in a string or comment is not a sqlite3 module
    ("# ported from sqlite3\n" + PSYCOPG + "    cursor.execute(f\"SELECT * FROM orders WHERE status = '{status}'\")\n",
     "cursor.execute('SELECT * FROM orders WHERE status = %s', (status,))"),
])
def test_the_patch_binds_the_values_in_the_drivers_style_and_the_finding_goes(tmp_path, prefix, fixed):
    hit, after = reviewed_patch(SqlInjection(), prefix, tmp_path)
    assert hit.patch_verified and hit.fix.risk == "medium"
    assert fixed in after["app.py"]
    assert check(SqlInjection(), after) == []


@pytest.mark.parametrize("call", [
    "conn.execute('SELECT * FROM users WHERE name = ' + name)",
    "conn.execute('SELECT * FROM users WHERE name = {}'.format(name))",
    "conn.execute(f\"SELECT * FROM users WHERE name = '{name}'\", timeout=5)",
])
def test_sql_the_patch_cannot_rewrite_safely_gets_only_a_suggestion(call):
    [hit] = check(SqlInjection(), SQLITE + f"    return {call}.fetchall()\n")
    assert "bound parameters" in hit.fix.suggestion and not hit.fix.edits


def test_executescript_gets_only_a_suggestion_since_it_cannot_take_parameters():
    [hit] = check(SqlInjection(), SQLITE + "    sql = f\"DELETE FROM users WHERE name = '{name}'\"\n"
                                           "    conn.executescript(sql)\n")
    assert hit.line == 8 and "executescript() on line 9" in hit.message and "execute()" in hit.fix.suggestion and not hit.fix.edits


def test_a_query_built_in_a_variable_is_one_finding_with_bandits_at_the_line_that_builds_it():
    source = SQLITE + "    sql = \"SELECT * FROM users WHERE name = '\" + name + \"'\"\n" \
                      "    rows = conn.execute(sql).fetchall()\n    return str(rows)\n"
    project = Project.from_files({"app.py": source})
    assert [(i.test_id, i.line) for i in bandit_issues(project) if i.rule == "sql_injection"] == [("B608", 8)]
    issues = review_project(project, check_patches=False).issues
    assert [(i.rule, i.line, i.engine) for i in issues if i.rule == "sql_injection"] == [("sql_injection", 8, "sreo")]
