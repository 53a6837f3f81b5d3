from django.urls import path

from moderation import api

urlpatterns = [
    path("calls/<uuid:call_id>/reports/", api.CallReportView.as_view(), name="call-reports"),
    path(
        "moderation/calls/<uuid:call_id>/recording/",
        api.StaffRecordingView.as_view(),
        name="staff-recording",
    ),
    path("moderation/warnings/", api.WarningCreateView.as_view(), name="moderation-warnings"),
    path(
        "moderation/warnings/preview/",
        api.WarningPreviewView.as_view(),
        name="moderation-warning-preview",
    ),
    path(
        "moderation/restrictions/",
        api.RestrictionCreateView.as_view(),
        name="moderation-restrictions",
    ),
    path("moderation/bans/", api.BanCreateView.as_view(), name="moderation-bans"),
    path("moderation/reviews/", api.ReviewListView.as_view(), name="moderation-reviews"),
    path(
        "moderation/reviews/<uuid:review_id>/",
        api.ReviewDetailView.as_view(),
        name="moderation-review",
    ),
    path(
        "moderation/reviews/<uuid:review_id>/decision/",
        api.ReviewDecisionView.as_view(),
        name="moderation-review-decision",
    ),
    path("moderation/appeals/", api.AppealCreateView.as_view(), name="moderation-appeals"),
    path(
        "moderation/appeals/<uuid:appeal_id>/decision/",
        api.AppealDecisionView.as_view(),
        name="moderation-appeal-decision",
    ),
    path("moderation/reports/", api.ReportCreateView.as_view(), name="moderation-reports"),
    path("moderation/queue/", api.QueueView.as_view(), name="moderation-queue"),
    path("moderation/queue/next/", api.QueueNextView.as_view(), name="moderation-queue-next"),
    path("moderation/queue/<uuid:case_id>/", api.CaseDetailView.as_view(), name="moderation-case"),
    path(
        "moderation/queue/<uuid:case_id>/assign/",
        api.CaseAssignView.as_view(),
        name="moderation-case-assign",
    ),
    path(
        "moderation/queue/<uuid:case_id>/resolve/",
        api.CaseResolveView.as_view(),
        name="moderation-case-resolve",
    ),
]
