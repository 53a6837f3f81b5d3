from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("account/decisions/<uuid:statement_id>/", views.statement, name="statement"),
    path("appeal/<str:token>/", views.appeal_link, name="appeal_link"),
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
