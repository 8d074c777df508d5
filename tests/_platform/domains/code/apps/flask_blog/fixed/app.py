"""A small blog: posts, comments and an admin import."""

import json
import os
import sqlite3

import requests
import yaml
from werkzeug.security import check_password_hash
from flask import Flask, abort, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup

from models import Comment, Post, User, db
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import selectinload
from sqlalchemy.orm import joinedload

app = Flask(__name__)
csrf = CSRFProtect(app)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///blog.db"
app.config["SECRET_KEY"] = os.environ["BLOG_SECRET_KEY"]
db.init_app(app)

PAGE_SIZE = 20


def legacy_db():
    return sqlite3.connect("legacy.db")


@app.route("/api/get_posts")
def get_posts():
    posts = Post.query.options(selectinload(Post.comments)).order_by(Post.created_at.desc()).limit(PAGE_SIZE).all()
    result = []
    for post in posts:
        result.append({
            "id": post.id,
            "title": post.title,
            "comments": [c.text for c in post.comments],
        })
    return jsonify(result)


@app.route("/api/authors")
def authors():
    page = request.args.get("page", 1, type=int)
    users = User.query.order_by(User.id).paginate(page=page, per_page=PAGE_SIZE).items
    return jsonify([{"id": u.id, "name": u.username} for u in users])


@app.route("/")
def index():
    page = request.args.get("page", 1, type=int)
    posts = Post.query.options(joinedload(Post.author)).order_by(Post.created_at.desc()).paginate(page=page, per_page=PAGE_SIZE)
    return render_template("index.html", posts=posts.items)


@app.route("/posts/<int:post_id>")
def show_post(post_id):
    post = Post.query.get_or_404(post_id)
    return render_template("post.html", post=post)


@app.route("/search")
def search():
    term = request.args.get("q", "")
    conn = legacy_db()
    rows = conn.execute('SELECT id, title FROM post WHERE title LIKE ?', (f'%{term}%',)).fetchall()
    return jsonify([{"id": r[0], "title": r[1]} for r in rows])


@app.route("/posts/<int:post_id>/comments", methods=["POST"])
def add_comment(post_id):
    post = Post.query.get_or_404(post_id)
    comment = Comment(text=request.form["text"], post_id=post.id)
    db.session.add(comment)
    db.session.commit()
    return redirect(url_for("show_post", post_id=post.id))


@app.route("/hello")
def hello():
    name = request.args.get("name", "guest")
    return Markup('<h1>Hello {}</h1>').format(name)


@app.route("/login", methods=["POST"])
def login():
    user = User.query.filter_by(username=request.form["username"]).first()
    if user is None or not check_password_hash(user.password_hash, request.form["password"]):
        abort(401)
    return redirect(url_for("index"))


@app.route("/admin/import", methods=["POST"])
def import_posts():
    config = yaml.safe_load(request.files["config"].read())
    state = json.loads(request.files["state"].read())
    return jsonify({"sections": len(config), "restored": len(state)})


@app.route("/admin/mirror")
def mirror():
    answer = requests.get("https://mirror.internal/posts.json", timeout=10, verify=True)
    return jsonify(answer.json())


@app.route("/stats")
def stats():
    conn = legacy_db()
    cursor = conn.cursor()
    rows = cursor.execute(
        "SELECT post.id, COUNT(comment.id) FROM post LEFT JOIN comment ON comment.post_id = post.id GROUP BY post.id"
    ).fetchall()
    return jsonify([count for _, count in rows])


if __name__ == "__main__":
    app.run(debug=False)
