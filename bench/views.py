"""Comparison endpoints that exist only in the bench (bench/urls.py), to put the product's
endpoints in perspective:

- `ConstantView`: the floor of the API — a bare DRF view, no authentication, no database.
- `PlainMessageListView`: the lean way to do the same work — the same 50 messages of a
  conversation as the product's first page, with the same authentication as the API and the
  product's own serializer, running only the queries that serializer needs (it sends ids, so
  no join), and none of the product's logic (no visibility lookup of the conversation, no
  mark-read, no cursor pagination).
- `bare_webhook`: the floor of Zoom's webhook endpoint (bench/zoom_webhooks.py) — a plain
  Django function view with the same decorators as `calls.views.zoom_webhook` and the same
  answer, which neither reads nor checks the body and touches neither database nor broker.
- `lean_webhook`: the leanest honest way to do that endpoint's essential work — read the body,
  parse it, log it as one `calls_providerevent` row (the same key, the same columns) with one
  raw INSERT in autocommit that ignores a repeated key — and nothing else: no signature check,
  no validation, no cache flag, no broker.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
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


# Like the product's endpoint: CSRF-exempt (the deliveries carry no token), POST only, the same
# JSON answer; it goes through the same middleware, being in the same URLconf.
@csrf_exempt
@require_POST
def bare_webhook(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "received"})


# The row `calls.services.record_provider_event` writes for the same delivery, in one statement:
# the same columns (the `Deferred` fields included, the first attempt due after the same 2-minute
# grace, `core.retry.FAST_PATH_GRACE`), the database's clock for the times, and a repeated key
# (Zoom's retry) ignored by the database instead of raising.
LEAN_INSERT = """
    INSERT INTO calls_providerevent
        (attempts, next_attempt_at, event, key, meeting_id, meeting_uuid, body, received_at,
         outcome, applied_at)
    VALUES (0, now() + interval '2 minutes', %s, %s, %s, %s, %s::jsonb, now(), 'pending', NULL)
    ON CONFLICT (key) DO NOTHING
"""


# The same decorators and answer as `bare_webhook`. No transaction: outside `atomic()` Django's
# connection is in autocommit, so the INSERT is the request's only round trip to Postgres.
@csrf_exempt
@require_POST
def lean_webhook(request: HttpRequest) -> HttpResponse:
    text = request.body.decode()
    data = json.loads(text)
    meeting = data["payload"]["object"]
    uuid = meeting["uuid"]
    with connection.cursor() as cursor:
        # The body is stored as sent (Postgres parses it into jsonb), not serialized again.
        cursor.execute(
            LEAN_INSERT,
            [data["event"], f"{data['event']}:{uuid}", str(meeting["id"]), uuid, text],
        )
    return JsonResponse({"status": "received"})
