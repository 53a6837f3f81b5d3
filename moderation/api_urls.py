from django.urls import path

from moderation import api

urlpatterns = [
    path("calls/<uuid:call_id>/reports/", api.CallReportView.as_view(), name="call-reports"),
    path(
        "moderation/calls/<uuid:call_id>/recording/",
        api.StaffRecordingView.as_view(),
        name="staff-recording",
    ),
]
