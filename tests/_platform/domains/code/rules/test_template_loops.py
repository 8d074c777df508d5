"""n_plus_one in templates: a Jinja or Django template loops over a query result a view passes in and reads a
lazy relationship of each row; eager loading in the view, plain columns or no such view give nothing; the patch
lands in the view and the finding goes."""

from __future__ import annotations

import pytest
from support.code_rules import check, reviewed_patch, where

from functions._platform.domains.code.rules.template_loops import TemplateLazyLoop

MODELS = """
    from sqlalchemy.orm import relationship
    from app import db

    class Post(db.Model):
        author = relationship("User")
        comments = relationship("Comment", lazy="dynamic")
        tags = relationship("Tag", lazy="joined")
"""

INDEX = """
    <h1>Posts</h1>
    {% for post in posts %}
      <h2>{{ post.title }}</h2>
      <p>by {{ post.author.username }}</p>
    {% endfor %}
"""

FLASK = "from flask import Flask, render_template\nfrom models import Post\napp = Flask(__name__)\n" \
        "@app.route('/')\ndef index():\n"

DJANGO_MODELS = """
    from django.db import models

    class Book(models.Model):
        title = models.CharField(max_length=200)
        author = models.ForeignKey("Author", on_delete=models.CASCADE)
        tags = models.ManyToManyField("Tag")
"""

TAGS = """
    {% for book in books %}
      {{ book.title }}
      {% for tag in book.tags.all %}{{ tag.name }}{% endfor %}
    {% endfor %}
"""

DJANGO = "from django.shortcuts import render\nfrom shop.models import Book\ndef tags(request):\n"

FASTAPI = """
    from fastapi import FastAPI, Request
    from fastapi.templating import Jinja2Templates
    from models import Post
    app, templates = FastAPI(), Jinja2Templates(directory="templates")

    @app.get("/")
    def index(request: Request, db):
        posts = db.query(Post).all()
        return templates.TemplateResponse("index.html", {"request": request, "posts": posts})
"""


def flask(body: str, template: str = INDEX) -> dict[str, str]:
    return {"models.py": MODELS, "app.py": FLASK + body, "templates/index.html": template}


def django(body: str) -> dict[str, str]:
    return {"shop/models.py": DJANGO_MODELS, "shop/views.py": DJANGO + body, "shop/templates/shop/tags.html": TAGS}


@pytest.mark.parametrize("files, template, line, view", [
    (flask("    return render_template('index.html', posts=Post.query.all())\n"), "templates/index.html", 4,
     "app.py"),
    (flask("    posts = Post.query.order_by(Post.id).all()\n    return render_template('index.html', posts=posts)\n"),
     "templates/index.html", 4, "app.py"),
    ({"models.py": MODELS, "app.py": FASTAPI, "templates/index.html": INDEX}, "templates/index.html", 4, "app.py"),
    (django("    return render(request, 'shop/tags.html', {'books': Book.objects.all()})\n"),
     "shop/templates/shop/tags.html", 3, "shop/views.py"),
])
def test_a_template_reading_a_lazy_relationship_per_row_is_flagged_at_the_read(files, template, line, view):
    found = check(TemplateLazyLoop(), files)
    assert where(found) == [(template, line, "CWE-1073", "high")]
    assert found[0].rule == "n_plus_one" and found[0].category == "performance" and found[0].fix.file == view
    assert found[0].symbol in ("index", "tags")


@pytest.mark.parametrize("files", [
    flask("    return render_template('index.html', posts=Post.query.options(joinedload(Post.author)).all())\n"),
    flask("    return render_template('index.html', posts=Post.query.all())\n",
          INDEX.replace("post.author.username", "post.title")),
    flask("    return render_template('index.html', posts=Post.query.all())\n",
          INDEX.replace("post.author.username", "post.tags")),
    flask("    return render_template('other.html', posts=Post.query.all())\n"),
    flask("    return render_template('index.html', posts=[])\n"),
    django("    return render(request, 'shop/tags.html', {'books': Book.objects.prefetch_related('tags')})\n"),
])
def test_eager_loading_columns_or_no_query_from_a_view_is_not(files):
    assert check(TemplateLazyLoop(), files) == []


@pytest.mark.parametrize("files, view, fixed", [
    (flask("    return render_template('index.html', posts=Post.query.all())\n"), "app.py",
     "posts=Post.query.options(selectinload(Post.author)).all()"),
    (django("    return render(request, 'shop/tags.html', {'books': Book.objects.all()})\n"), "shop/views.py",
     "{'books': Book.objects.prefetch_related('tags').all()}"),
])
def test_the_patch_loads_the_relationship_in_the_view_and_the_finding_goes(tmp_path, files, view, fixed):
    hit, after = reviewed_patch(TemplateLazyLoop(), files, tmp_path)
    assert hit.patch_verified and hit.fix.risk == "low"
    assert fixed in after[view]
    assert check(TemplateLazyLoop(), after) == []
