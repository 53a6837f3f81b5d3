from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path(
        "notifications/<uuid:notification_id>/",
        views.notification_open,
        name="notification_open",
    ),
    path("design/", views.design_gallery, name="design"),
]
