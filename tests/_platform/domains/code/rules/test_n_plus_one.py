"""n_plus_one: a lazy relationship read on each row of a query result (SQLAlchemy, Django), or a query run per row
(ORM or DB-API); eager loading and plain columns give nothing; the patch loads the relationship with the query."""

from __future__ import annotations

import pytest
from support.code_rules import check, reviewed_patch, where

from functions._platform.domains.code.rules.n_plus_one import NPlusOne

SQLALCHEMY_MODELS = """
    from sqlalchemy import ForeignKey
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

    class Base(DeclarativeBase):
        pass

    class Post(Base):
        __tablename__ = "posts"
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str]
        author: Mapped["User"] = relationship()
        comments: Mapped[list["Comment"]] = relationship(back_populates="post")
        tags: Mapped[list["Tag"]] = relationship(lazy="selectin")
"""

DJANGO_MODELS = """
    from django.db import models

    class Author(models.Model):
        name = models.CharField(max_length=100)

    class Book(models.Model):
        title = models.CharField(max_length=200)
        author = models.ForeignKey(Author, on_delete=models.CASCADE)
        tags = models.ManyToManyField("Tag")
"""

FLASK = "from flask import Flask\nfrom models import Post\napp = Flask(__name__)\n@app.route('/posts')\ndef posts():\n"
DJANGO = "from django.http import JsonResponse\nfrom shop.models import Book, Author\ndef books(request):\n"


def sqlalchemy(body: str) -> dict[str, str]:
    return {"models.py": SQLALCHEMY_MODELS, "app.py": FLASK + body}


def django(body: str) -> dict[str, str]:
    return {"shop/models.py": DJANGO_MODELS, "shop/views.py": DJANGO + body}


@pytest.mark.parametrize("files, path, line", [
    (sqlalchemy("    out = []\n    for post in Post.query.all():\n        out.append(post.author.name)\n"
                "    return out\n"), "app.py", 8),
    (sqlalchemy("    return [len(post.comments) for post in db.session.scalars(select(Post))]\n"), "app.py", 6),
    (sqlalchemy("    posts = db.session.query(Post).filter_by(draft=False).all()\n    for post in posts:\n"
                "        print(post.title, post.comments)\n"), "app.py", 8),
    (django("    return JsonResponse([{'author': b.author.name} for b in Book.objects.all()], safe=False)\n"),
     "shop/views.py", 4),
    (django("    for book in Book.objects.filter(title__startswith='A'):\n        print(list(book.tags.all()))\n"),
     "shop/views.py", 5),
    (django("    for author in Author.objects.all():\n        print(author.book_set.count())\n"), "shop/views.py", 5),
])
def test_a_lazy_relationship_read_per_row_is_flagged_at_the_read(files, path, line):
    found = check(NPlusOne(), files)
    assert where(found) == [(path, line, "CWE-1073", "high")]
    assert found[0].rule == "n_plus_one" and found[0].category == "performance" and "lazy" in found[0].message


@pytest.mark.parametrize("files", [
    sqlalchemy("    return [p.author.name for p in Post.query.options(joinedload(Post.author)).all()]\n"),
    sqlalchemy("    return [len(p.comments) for p in Post.query.options(selectinload(Post.comments))]\n"),
    sqlalchemy("    return [p.title for p in Post.query.all()]\n"),
    sqlalchemy("    return [len(p.tags) for p in Post.query.all()]\n"),
    sqlalchemy("    post = Post.query.get(1)\n    return [c.text for c in post.comments]\n"),
    django("    return [b.author.name for b in Book.objects.select_related('author')]\n"),
    django("    return [list(b.tags.all()) for b in Book.objects.prefetch_related('tags').all()]\n"),
    django("    return [b.title for b in Book.objects.all()]\n"),
    django("    books = [Book(title='a')]\n    return [b.author for b in books]\n"),
])
def test_eager_loading_columns_and_plain_lists_are_not(files):
    assert check(NPlusOne(), files) == []


def test_a_query_per_row_is_flagged_in_the_orm_and_in_db_api():
    orm = sqlalchemy("    for post in Post.query.all():\n        Comment.query.filter_by(post_id=post.id).count()\n")
    dbapi = """
        import sqlite3
        def report(conn: sqlite3.Connection):
            cur = conn.cursor()
            for (user_id,) in cur.execute("SELECT id FROM users").fetchall():
                cur.execute("SELECT COUNT(*) FROM orders WHERE user_id = ?", (user_id,))
    """
    assert where(check(NPlusOne(), orm)) == [("app.py", 7, "CWE-1073", "high")]
    [hit] = check(NPlusOne(), {"report.py": dbapi})
    assert (hit.file, hit.line, hit.cwe, hit.symbol) == ("report.py", 5, "CWE-1073", "report")
    assert "one query" in hit.fix.suggestion and not hit.fix.edits


def test_a_query_per_row_of_a_plain_list_is_not():
    source = "def report(cur, ids):\n    for user_id in ids:\n        cur.execute('SELECT 1 WHERE ?', (user_id,))\n"
    assert check(NPlusOne(), source) == []


@pytest.mark.parametrize("files, path, fixed, imported", [
    (sqlalchemy("    return [p.author.name for p in Post.query.all()]\n"), "app.py",
     "Post.query.options(joinedload(Post.author)).all()", "from sqlalchemy.orm import joinedload"),
    (sqlalchemy("    return [len(p.comments) for p in db.session.scalars(select(Post))]\n"), "app.py",
     "db.session.scalars(select(Post).options(selectinload(Post.comments)))", "from sqlalchemy.orm import selectinload"),
    (django("    return [(b.author.name, list(b.tags.all())) for b in Book.objects.all()]\n"), "shop/views.py",
     "Book.objects.select_related('author').prefetch_related('tags').all()", None),
])
def test_the_patch_loads_the_relationship_with_the_query_and_the_finding_goes(tmp_path, files, path, fixed, imported):
    hit, after = reviewed_patch(NPlusOne(), files, tmp_path)
    assert hit.patch_verified and hit.fix.risk == "low"
    assert fixed in after[path]
    assert imported is None or f"{imported}\n" in after[path]
    assert check(NPlusOne(), after) == []
