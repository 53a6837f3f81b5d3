from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/token/", api.ObtainTokenView.as_view(), name="auth-token"),
    path("auth/logout/", api.LogoutView.as_view(), name="auth-logout"),
    path("auth/tokens/", api.TokenListView.as_view(), name="auth-tokens"),
    path("auth/tokens/<slug:token_id>/", api.TokenDetailView.as_view(), name="auth-token-detail"),
    path("me/", api.MeView.as_view(), name="me"),
]
