import json

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt

from shop.models import Book, Review
from django.utils.html import escape

PAGE = 50


def book_list(request):
    books = Book.objects.select_related('author').order_by("title")[:PAGE]
    rows = []
    for book in books:
        rows.append({"title": book.title, "author": book.author.name, "price": str(book.price)})
    return JsonResponse({"books": rows})


def book_detail(request, book_id):
    book = get_object_or_404(Book, pk=book_id)
    with connection.cursor() as cursor:
        cursor.execute('SELECT AVG(stars) FROM shop_review WHERE book_id = %s', (book_id,))
        average = cursor.fetchone()[0]
    return JsonResponse({"title": book.title, "average": average})


def review_feed(request):
    reviews = Review.objects.select_related('book').filter(stars__gte=4).order_by("-created")[:PAGE]
    feed = [{"book": review.book.title, "stars": review.stars} for review in reviews]
    return JsonResponse({"feed": feed})


def tag_cloud(request):
    books = Book.objects.prefetch_related('tags').order_by("-id")[:PAGE]
    return render(request, "shop/tags.html", {"books": books})


def search(request):
    term = request.GET.get("q", "")
    books = Book.objects.raw('SELECT * FROM shop_book WHERE title = %s', (term,))
    return JsonResponse({"ids": [b.id for b in books]})


def payment_hook(request):
    event = json.loads(request.body)
    Book.objects.filter(pk=event["book"]).update(price=event["price"])
    return JsonResponse({"ok": True})


def greet(request):
    name = request.GET.get("name", "reader")
    return HttpResponse(f"<p>Welcome back, {escape(name)}!</p>")


def profile(request):
    bio = request.GET.get("bio", "")
    return render(request, "shop/profile.html", {"bio": escape(bio)})


def export_reviews(request):
    start = int(request.GET.get("after", 0))
    reviews = Review.objects.filter(pk__gt=start).order_by("pk")[:PAGE]
    return JsonResponse({"reviews": [{"id": r.id, "stars": r.stars} for r in reviews]})
