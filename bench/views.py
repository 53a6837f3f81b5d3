"""Two comparison endpoints that exist only in the bench (bench/urls.py), to put the product's
conversation endpoint in perspective:

- `ConstantView`: the floor — a bare DRF view, no authentication, no database.
- `PlainMessageListView`: the lean way to do the same work — the same 50 messages of a
  conversation as the product's first page, with the same authentication as the API and the
  product's own serializer, running only the queries that serializer needs (it sends ids, so
  no join), and none of the product's logic (no visibility lookup of the conversation, no
  mark-read, no cursor pagination).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.models import Message
from marketplace.serializers import MessageSerializer

PAGE = 50


class ConstantView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


class PlainMessageListView(ListAPIView[Message]):
    serializer_class = MessageSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Message]:
        return Message.objects.filter(conversation_id=self.kwargs["conversation_id"]).order_by(
            "id"
        )[:PAGE]
