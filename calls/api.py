"""The calls API (C-3…C-11). Every call endpoint is for the call's participants only (404 for
everyone else); the eligibility answer is always about the user asking."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.fields import empty
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from calls import eligibility, files, selectors, services
from calls.serializers import (
    CallCreateSerializer,
    CallSerializer,
    EligibilitySerializer,
    InviteSerializer,
    ParticipantSerializer,
)
from core.rest import errors, request_user
from marketplace import selectors as marketplace_selectors


def eligibility_answer(user: User, other: User) -> dict[str, Any]:
    decision = eligibility.may_start_call(user, other)
    figures = decision.figures
    return {
        "allowed": decision.allowed,
        "reasons": [
            {"code": reason.name, "message": line}
            for reason, line in zip(
                decision.reasons, eligibility.explain(decision, other=other), strict=False
            )
        ],
        "explanation": eligibility.explain(decision, other=other),
        # The figures are the asker's own (they are the caller); a non-seller has none.
        "figures": figures or None,
    }


# `with` is a Python keyword, so the query's one field is validated on its own.
WITH_FIELD = serializers.IntegerField(min_value=1)


def _with_user_id(request: Request) -> int:
    try:
        return int(WITH_FIELD.run_validation(request.query_params.get("with", empty)))
    except serializers.ValidationError as error:
        raise serializers.ValidationError({"with": error.detail}) from error


class EligibilityView(APIView):
    @extend_schema(
        operation_id="calls_eligibility",
        parameters=[
            OpenApiParameter("with", OpenApiTypes.INT, required=True, description="A user's id.")
        ],
        responses={200: EligibilitySerializer, **errors(400, 401, 404)},
        summary="May I start a call with this user? Reasons and, for sellers, their own figures.",
    )
    def get(self, request: Request) -> Response:
        user = request_user(request)
        other = get_object_or_404(User.objects.filter(is_active=True), pk=_with_user_id(request))
        return Response(EligibilitySerializer(eligibility_answer(user, other)).data)


class ConversationCallsView(APIView):
    @extend_schema(
        operation_id="conversations_calls_create",
        request=CallCreateSerializer,
        responses={201: CallSerializer, **errors(400, 401, 403, 404, 409, 503)},
        summary="The seller starts a call in the conversation, now or at a chosen time.",
    )
    def post(self, request: Request, conversation_id: str) -> Response:
        user = request_user(request)
        conversation = marketplace_selectors.participant_conversation(user, conversation_id)
        incoming = CallCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        call = services.start_call(
            conversation,
            actor=user,
            scheduled_for=incoming.validated_data["scheduled_for"],
            topic=incoming.validated_data["topic"],
        )
        return Response(
            CallSerializer(call, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CallDetailView(APIView):
    @extend_schema(
        operation_id="calls_retrieve", responses={200: CallSerializer, **errors(401, 404)}
    )
    def get(self, request: Request, call_id: str) -> Response:
        call = selectors.call_for(request_user(request), call_id)
        return Response(CallSerializer(call, context={"request": request}).data)


class CallEndView(APIView):
    @extend_schema(
        operation_id="calls_end",
        request=None,
        responses={200: CallSerializer, **errors(401, 404)},
        summary="A participant ends the call (again: no change).",
    )
    def post(self, request: Request, call_id: str) -> Response:
        user = request_user(request)
        call = services.end_call(selectors.call_for(user, call_id), actor=user)
        return Response(CallSerializer(call, context={"request": request}).data)


class CallInvitesView(APIView):
    @extend_schema(
        operation_id="calls_invites_create",
        request=InviteSerializer,
        responses={201: ParticipantSerializer(many=True), **errors(400, 401, 403, 404, 409)},
        summary="The seller invites platform users by e-mail; they become participants (C-8).",
    )
    def post(self, request: Request, call_id: str) -> Response:
        user = request_user(request)
        call = selectors.call_for(user, call_id)
        incoming = InviteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            added = services.invite_participants(
                call, actor=user, emails=incoming.validated_data["emails"]
            )
        except services.InviteError as error:
            raise serializers.ValidationError(
                {
                    "emails": [
                        f"{email}: {why}" if email else why for email, why in error.problems.items()
                    ]
                }
            ) from error
        return Response(
            ParticipantSerializer(added, many=True).data, status=status.HTTP_201_CREATED
        )


RECORDING_RESPONSES = {
    200: OpenApiResponse(OpenApiTypes.BINARY, description="The file (206 for a range)."),
    302: OpenApiResponse(description="A presigned URL of at most 5 minutes (S3 storage)."),
    **errors(401, 404, 410),
}


class CallRecordingView(APIView):
    @extend_schema(
        operation_id="calls_recording",
        responses=RECORDING_RESPONSES,
        summary="The recording, for participants, after the call, for 30 days (C-11).",
    )
    def get(self, request: Request, call_id: str) -> HttpResponseBase:
        recording = selectors.recording_for(request_user(request), call_id)
        return files.serve_recording(request, recording)


class CallTranscriptView(APIView):
    @extend_schema(
        operation_id="calls_transcript",
        responses=RECORDING_RESPONSES,
        summary="The recording's transcript (WebVTT), under the recording's rules.",
    )
    def get(self, request: Request, call_id: str) -> HttpResponseBase:
        recording = selectors.recording_for(request_user(request), call_id)
        return files.serve_recording(request, recording, transcript=True)
