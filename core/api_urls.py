from django.urls import path

from core import api

urlpatterns = [
    path("notifications/", api.NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", api.NotificationsReadView.as_view(), name="notifications-read"),
    path(
        "notifications/unread-count/",
        api.UnreadCountView.as_view(),
        name="notifications-unread-count",
    ),
    path(
        "notifications/<uuid:notification_id>/read/",
        api.NotificationReadView.as_view(),
        name="notification-read",
    ),
]
