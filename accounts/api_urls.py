from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/token/", api.ObtainTokenView.as_view(), name="auth-token"),
    path("me/", api.MeView.as_view(), name="me"),
]
