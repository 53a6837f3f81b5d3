"""The product's URLs plus the bench-only comparison endpoints (bench/views.py)."""

from django.urls import URLPattern, URLResolver, include, path

from bench import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/constant/", views.ConstantView.as_view(), name="bench-constant"),
    path(
        "bench/conversations/<uuid:conversation_id>/messages/",
        views.PlainMessageListView.as_view(),
        name="bench-messages",
    ),
    path("bench/bare-webhook/", views.bare_webhook, name="bench-bare-webhook"),
    path("bench/lean-webhook/", views.lean_webhook, name="bench-lean-webhook"),
    path("", include("config.urls")),
]
