from django.urls import path

from shop import views

urlpatterns = [
    path("books/", views.book_list),
    path("books/<int:book_id>/", views.book_detail),
    path("reviews/feed/", views.review_feed),
    path("tags/", views.tag_cloud),
    path("search/", views.search),
    path("hooks/payment/", views.payment_hook),
    path("greet/", views.greet),
    path("profile/", views.profile),
    path("export/reviews/", views.export_reviews),
]
