"""The notices' API: list (newest first, by keyset), mark one or all read, the unread count."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import selectors, services
from core.pagination import NoticesNewestFirst
from core.rest import errors, request_user
from core.serializers import NotificationSerializer


class NotificationFilterSerializer(serializers.Serializer[dict[str, Any]]):
    unread = serializers.BooleanField(
        required=False, default=False, help_text="Only the notices not read yet."
    )


class NotificationListView(APIView):
    pagination_class = NoticesNewestFirst

    @extend_schema(
        operation_id="notifications_list",
        parameters=[NotificationFilterSerializer],
        responses={200: NotificationSerializer(many=True), **errors(400, 401, 404)},
        summary="The user's notices, newest first, in their language.",
    )
    def get(self, request: Request) -> Response:
        incoming = NotificationFilterSerializer(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        notices = selectors.notifications_of(
            request_user(request), unread_only=incoming.validated_data["unread"]
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(notices, request, view=self)
        return paginator.get_paginated_response(NotificationSerializer(page, many=True).data)


UnreadCountSerializer = inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})
MarkedSerializer = inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})


class UnreadCountView(APIView):
    @extend_schema(
        operation_id="notifications_unread_count",
        responses={200: UnreadCountSerializer, **errors(401)},
        summary=f"How many notices are unread (counting stops at {selectors.UNREAD_COUNT_CAP}).",
    )
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count(request_user(request))})


class NotificationReadView(APIView):
    @extend_schema(
        operation_id="notifications_read",
        request=None,
        responses={200: NotificationSerializer, **errors(401, 404)},
        summary="Mark one notice read.",
    )
    def post(self, request: Request, notification_id: str) -> Response:
        user = request_user(request)
        notice = selectors.notification_for(user, notification_id)
        services.mark_notification_read(notice, actor=user)
        return Response(NotificationSerializer(notice).data)


class NotificationsReadView(APIView):
    @extend_schema(
        operation_id="notifications_read_all",
        request=None,
        responses={200: MarkedSerializer, **errors(401)},
        summary="Mark every notice read.",
    )
    def post(self, request: Request) -> Response:
        marked = services.mark_all_notifications_read(actor=request_user(request))
        return Response({"marked": marked}, status=status.HTTP_200_OK)
