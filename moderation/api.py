"""Moderation's API so far: reporting a call (C-10) and staff opening a recording (C-12)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calls import selectors as calls
from calls.models import Call
from core.rest import errors, request_user
from moderation import services
from moderation.serializers import (
    RecordingAccessSerializer,
    RecordingLinkSerializer,
    ReportCreateSerializer,
    ReportSerializer,
)


class CallReportView(APIView):
    @extend_schema(
        operation_id="calls_reports_create",
        request=ReportCreateSerializer,
        responses={201: ReportSerializer, **errors(400, 401, 404, 409)},
        summary="A participant reports the call to support, with a C-9 reason and details.",
    )
    def post(self, request: Request, call_id: str) -> Response:
        user = request_user(request)
        call = calls.call_for(user, call_id)
        incoming = ReportCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        report = services.report_call(call, actor=user, **incoming.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class StaffRecordingView(APIView):
    @extend_schema(
        operation_id="moderation_calls_recording_open",
        request=RecordingAccessSerializer,
        responses={201: RecordingLinkSerializer, **errors(400, 401, 403, 404, 410)},
        summary="Staff open a reported or flagged call's recording (audited): a link of 5 min.",
    )
    def post(self, request: Request, call_id: str) -> Response:
        user = request_user(request)
        if not user.is_staff:
            raise Http404
        call = get_object_or_404(Call, pk=call_id)
        incoming = RecordingAccessSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        token = services.open_recording(call, actor=user, reason=incoming.validated_data["reason"])
        url = request.build_absolute_uri(reverse("moderation:recording_stream", args=[token]))
        return Response(
            RecordingLinkSerializer(
                {"url": url, "expires_in": settings.RECORDING_URL_SECONDS}
            ).data,
            status=status.HTTP_201_CREATED,
        )
