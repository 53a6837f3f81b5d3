from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path(
        "moderation/report/<slug:target_type>/<str:target_id>/",
        views.report_target,
        name="report",
    ),
    path("moderation/calls/<uuid:call_id>/report/", views.report_call, name="report_call"),
    path(
        "moderation/calls/<uuid:call_id>/recording/",
        views.staff_recording,
        name="staff_recording",
    ),
    path("moderation/recordings/<str:token>/", views.recording_stream, name="recording_stream"),
]
