"""xss: values marked safe, HTML built from values in a handler's response, `render_template_string` of built
text, autoescape off in Jinja or a template; escaped twins give nothing; each patch escapes and the finding goes."""

from __future__ import annotations

import pytest
from support.code_rules import check, reviewed_patch, where

from functions._platform.domains.code.rules.xss import Xss

FLASK = "from flask import Flask, request, render_template_string\nfrom markupsafe import Markup, escape\n" \
        "app = Flask(__name__)\n@app.route('/hello')\ndef hello():\n    name = request.args['name']\n"
DJANGO = "from django.http import HttpResponse\nfrom django.utils.html import escape, format_html\n" \
         "from django.utils.safestring import mark_safe\ndef profile(request):\n    bio = request.GET['bio']\n"
FASTAPI = "from fastapi import FastAPI\nfrom fastapi.responses import HTMLResponse\nfrom markupsafe import escape\n" \
          "app = FastAPI()\n@app.get('/search')\ndef search(q: str):\n"


@pytest.mark.parametrize("framework, path, body, line, severity", [
    (FLASK, "app.py", "return Markup(f'<b>{name}</b>')", 7, "high"),
    (FLASK, "app.py", "return Markup(name)", 7, "high"),
    (FLASK, "app.py", "return f'<p>Hello {name}</p>'", 7, "high"),
    (FLASK, "app.py", "return '<p>Hello ' + name + '</p>'", 7, "high"),
    (FLASK, "app.py", "return render_template_string('<p>Hello ' + name + '</p>')", 7, "high"),
    (DJANGO, "shop/views.py", "return HttpResponse(mark_safe(bio))", 6, "high"),
    (DJANGO, "shop/views.py", "return HttpResponse(f'<p>{bio}</p>')", 6, "high"),
    (FASTAPI, "app.py", "return HTMLResponse(f'<h1>{q}</h1>')", 7, "high"),
])
def test_unescaped_values_in_html_are_flagged(framework, path, body, line, severity):
    found = check(Xss(), {path: framework + f"    {body}\n"})
    assert where(found) == [(path, line, "CWE-79", severity)]
    assert found[0].rule == "xss" and found[0].category == "security" and found[0].fix.suggestion


@pytest.mark.parametrize("framework, path, body", [
    (FLASK, "app.py", "return Markup('<b>{}</b>').format(name)"),
    (FLASK, "app.py", "return f'<p>Hello {escape(name)}</p>'"),
    (FLASK, "app.py", "return f'Hello {name}'"),
    (FLASK, "app.py", "return render_template_string('<p>Hello {{ name }}</p>', name=name)"),
    (FLASK, "app.py", "return Markup('<br>')"),
    (DJANGO, "shop/views.py", "return HttpResponse(format_html('<p>{}</p>', bio))"),
    (DJANGO, "shop/views.py", "return HttpResponse(f'<p>{escape(bio)}</p>')"),
    (FASTAPI, "app.py", "return HTMLResponse(f'<h1>{len(q)}</h1>')"),
])
def test_escaped_or_constant_html_is_not(framework, path, body):
    assert check(Xss(), {path: framework + f"    {body}\n"}) == []


@pytest.mark.parametrize("framework, path, body, fixed", [
    (FLASK, "app.py", "return Markup(f'<b>{name}</b>')", "return Markup('<b>{}</b>').format(name)"),
    (FLASK, "app.py", "return Markup(name)", "return Markup.escape(name)"),
    (FLASK, "app.py", "return f'<p>Hello {name}</p>'", "return f'<p>Hello {escape(name)}</p>'"),
    (DJANGO, "shop/views.py", "return HttpResponse(mark_safe(bio))", "return HttpResponse(escape(bio))"),
    (DJANGO, "shop/views.py", "return HttpResponse(mark_safe(f'<i>{bio}</i>'))",
     "return HttpResponse(format_html('<i>{}</i>', bio))"),
    (FASTAPI, "app.py", "return HTMLResponse(f'<h1>{q}</h1>')", "return HTMLResponse(f'<h1>{escape(q)}</h1>')"),
])
def test_the_patch_escapes_the_values_and_the_finding_goes(tmp_path, framework, path, body, fixed):
    hit, after = reviewed_patch(Xss(), {path: framework + f"    {body}\n"}, tmp_path)
    assert hit.patch_verified and hit.fix.risk == "medium"
    assert f"    {fixed}\n" in after[path]
    assert check(Xss(), after) == []


def test_the_patch_imports_the_escape_it_uses(tmp_path):
    source = "from flask import Flask, request\napp = Flask(__name__)\n@app.route('/')\ndef hi():\n" \
             "    return f'<p>{request.args[\"n\"]}</p>'\n"
    _, after = reviewed_patch(Xss(), source, tmp_path)
    assert after["app.py"].startswith("from flask import Flask, request\nfrom markupsafe import escape\n")
    _, after = reviewed_patch(Xss(), {"views.py": "from django.utils.safestring import mark_safe\n"
                                                  "def bio(request):\n    return mark_safe(request.GET['b'])\n"},
                              tmp_path / "django")
    assert "from django.utils.html import escape\n" in after["views.py"]


def test_render_template_string_of_built_text_gets_only_a_suggestion():
    [hit] = check(Xss(), FLASK + "    return render_template_string(f'<p>{name}</p>')\n")
    assert "template file" in hit.fix.suggestion and not hit.fix.edits


@pytest.mark.parametrize("source, line, fixed", [
    ("from jinja2 import Environment\nenv = Environment()\n", 2, "env = Environment(autoescape=True)"),
    ("import jinja2\nenv = jinja2.Environment(loader=None)\n", 2, "env = jinja2.Environment(loader=None, autoescape=True)"),
    ("from jinja2 import Environment\nenv = Environment(autoescape=False)\n", 2, "env = Environment(autoescape=True)"),
    ("from jinja2 import Environment, FileSystemLoader\nenv = Environment(\n    loader=FileSystemLoader('t'),\n)\n", 2,
     "env = Environment(\n    loader=FileSystemLoader('t'), autoescape=True,\n)"),
    ("from jinja2 import Environment\nenv = Environment(**{'trim_blocks': True})\n", 2,
     "env = Environment(**{'trim_blocks': True}, autoescape=True)"),
    ("from flask import Flask\napp = Flask(__name__)\napp.jinja_env.autoescape = False\n", 3,
     "app.jinja_env.autoescape = True"),
])
def test_autoescape_off_in_python_is_flagged_and_the_patch_turns_it_on(tmp_path, source, line, fixed):
    assert where(check(Xss(), source)) == [("app.py", line, "CWE-79", "medium")]
    hit, after = reviewed_patch(Xss(), source, tmp_path)
    assert hit.patch_verified and f"{fixed}\n" in after["app.py"]
    assert check(Xss(), after) == []


@pytest.mark.parametrize("source", [
    "from jinja2 import Environment, select_autoescape\nenv = Environment(autoescape=select_autoescape())\n",
    "from jinja2 import Environment\nenv = Environment(autoescape=True)\n",
    "from string import Template\nclass Environment:\n    pass\nenv = Environment()\n",
])
def test_autoescape_on_or_another_environment_is_not(source):
    assert check(Xss(), source) == []


TEMPLATE = """
    <ul>
    {% for post in posts %}
      <li>{{ post.title }}: {{ post.body|safe }}</li>
    {% endfor %}
    </ul>
    {% autoescape false %}{{ footer }}{% endautoescape %}
"""


def test_a_template_with_safe_or_autoescape_off_is_flagged():
    found = check(Xss(), {"templates/index.html": TEMPLATE})
    assert where(found) == [("templates/index.html", 3, "CWE-79", "high"),
                            ("templates/index.html", 6, "CWE-79", "medium")]


@pytest.mark.parametrize("drop, fixed", [
    ("{% autoescape false %}{{ footer }}{% endautoescape %}", "<li>{{ post.title }}: {{ post.body }}</li>"),
    ("|safe", "{% autoescape true %}{{ footer }}{% endautoescape %}"),
])
def test_the_template_patches_drop_safe_and_turn_autoescape_on(tmp_path, drop, fixed):
    hit, after = reviewed_patch(Xss(), {"templates/index.html": TEMPLATE.replace(drop, "")}, tmp_path)
    assert hit.patch_verified and fixed in after["templates/index.html"]
    assert check(Xss(), after) == []


def test_an_escaped_template_is_not():
    fixed = TEMPLATE.replace("|safe", "").replace("autoescape false", "autoescape true")
    assert check(Xss(), {"templates/index.html": fixed, "templates/notes.txt": "{{ x|safe }}"}) == []


@pytest.mark.parametrize("body, flagged", [
    ("page = '<h1>Hello, {{ name }}!</h1>'\n    return render_template_string(page, name=name)", False),
    ("return render_template_string(f'<h1>Hello, {{{{ name }}}}!</h1>', name=name)", False),
    ("page = '<h1>Hello, ' + name + '</h1>'\n    return render_template_string(page)", True),
    ("page = '<h1>Hello</h1>'\n    page += name\n    return render_template_string(page)", True),
])
def test_render_template_string_is_judged_by_whether_its_template_is_fixed_in_the_source(body, flagged):
    assert bool(check(Xss(), FLASK + f"    {body}\n")) is flagged
