from django.urls import path

from calls import views

app_name = "calls"

urlpatterns = [
    path("calls/start/<uuid:conversation_id>/", views.start, name="start"),
    path("calls/<uuid:call_id>/", views.call, name="call"),
    path("calls/<uuid:call_id>/join/", views.join, name="join"),
    path("calls/<uuid:call_id>/end/", views.end, name="end"),
    path("calls/<uuid:call_id>/invite/", views.invite, name="invite"),
    path("calls/<uuid:call_id>/summary/", views.summary, name="summary"),
    path("calls/<uuid:call_id>/recording/", views.recording_file, name="recording"),
    path("calls/<uuid:call_id>/transcript/", views.transcript_file, name="transcript"),
    path("webhooks/zoom/", views.zoom_webhook, name="zoom_webhook"),
    # The `local` video backend's meeting room (its join URL).
    path("calls/room/<str:meeting_id>/", views.room, name="room"),
]
