from django.urls import path

from calls import api

urlpatterns = [
    path("calls/eligibility/", api.EligibilityView.as_view(), name="call-eligibility"),
    path(
        "conversations/<uuid:conversation_id>/calls/",
        api.ConversationCallsView.as_view(),
        name="conversation-calls",
    ),
    path("calls/<uuid:call_id>/", api.CallDetailView.as_view(), name="call"),
    path("calls/<uuid:call_id>/end/", api.CallEndView.as_view(), name="call-end"),
    path("calls/<uuid:call_id>/invites/", api.CallInvitesView.as_view(), name="call-invites"),
    path("calls/<uuid:call_id>/recording/", api.CallRecordingView.as_view(), name="call-recording"),
    path(
        "calls/<uuid:call_id>/recording/transcript/",
        api.CallTranscriptView.as_view(),
        name="call-transcript",
    ),
]
