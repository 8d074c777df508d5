"""A small blog: posts, comments and an admin import."""

import hashlib
import pickle
import sqlite3

import requests
import yaml
from flask import Flask, abort, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup

from models import Comment, Post, User, db

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///blog.db"
app.config["SECRET_KEY"] = "s3cr3t-blog-key-2024"
db.init_app(app)

PAGE_SIZE = 20


def legacy_db():
    return sqlite3.connect("legacy.db")


@app.route("/api/get_posts")
def get_posts():
    posts = Post.query.order_by(Post.created_at.desc()).limit(PAGE_SIZE).all()
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
    users = User.query.all()
    return jsonify([{"id": u.id, "name": u.username} for u in users])


@app.route("/")
def index():
    page = request.args.get("page", 1, type=int)
    posts = Post.query.order_by(Post.created_at.desc()).paginate(page=page, per_page=PAGE_SIZE)
    return render_template("index.html", posts=posts.items)


@app.route("/posts/<int:post_id>")
def show_post(post_id):
    post = Post.query.get_or_404(post_id)
    return render_template("post.html", post=post)


@app.route("/search")
def search():
    term = request.args.get("q", "")
    conn = legacy_db()
    rows = conn.execute(f"SELECT id, title FROM post WHERE title LIKE '%{term}%'").fetchall()
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
    return Markup(f"<h1>Hello {name}</h1>")


@app.route("/login", methods=["POST"])
def login():
    user = User.query.filter_by(username=request.form["username"]).first()
    digest = hashlib.md5(request.form["password"].encode()).hexdigest()
    if user is None or user.password_hash != digest:
        abort(401)
    return redirect(url_for("index"))


@app.route("/admin/import", methods=["POST"])
def import_posts():
    config = yaml.load(request.files["config"].read())
    state = pickle.loads(request.files["state"].read())
    return jsonify({"sections": len(config), "restored": len(state)})


@app.route("/admin/mirror")
def mirror():
    answer = requests.get("https://mirror.internal/posts.json", timeout=10, verify=False)
    return jsonify(answer.json())


@app.route("/stats")
def stats():
    conn = legacy_db()
    cursor = conn.cursor()
    totals = []
    for row in cursor.execute("SELECT id FROM post").fetchall():
        cursor.execute("SELECT COUNT(*) FROM comment WHERE post_id = ?", (row[0],))
        totals.append(cursor.fetchone()[0])
    return jsonify(totals)


if __name__ == "__main__":
    app.run(debug=True)
