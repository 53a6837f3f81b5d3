"""The marketplace API. Each endpoint: parse, select (404), check (403), one service, respond."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.pagination import NewestFirst
from core.rest import errors, request_user
from marketplace import order_states, selectors, services
from marketplace.models import GigStatus
from marketplace.pagination import (
    MESSAGE_PAGES,
    ORDER_PAGES,
    ConversationsRecentFirst,
    EntriesNewestFirst,
    MessagesInTimeOrder,
    OrdersNewestFirst,
    WithdrawalsNewestFirst,
)
from marketplace.serializers import (
    ConversationCreateSerializer,
    ConversationSerializer,
    EarningsSerializer,
    GigCreateSerializer,
    GigSearchSerializer,
    GigSerializer,
    GigUpdateSerializer,
    LedgerEntrySerializer,
    MessageCreateSerializer,
    MessageSerializer,
    OrderCreateSerializer,
    OrderFilterSerializer,
    OrderSerializer,
    TipSerializer,
    WalletSerializer,
    WithdrawalCreateSerializer,
    WithdrawalSerializer,
)
from marketplace.services.gigs import ExtraInput
from marketplace.services.orders import SIMPLE_EVENTS, trigger

EARNINGS_EXPLANATION = gettext_lazy(
    "The earnings average includes extras and tips; the average used for video-call "
    "eligibility counts the base price only, so the two usually differ."
)


_user = request_user


def _page(
    view: APIView,
    request: Request,
    queryset: QuerySet[Any],
    paginator: NewestFirst,
    serializer: Callable[..., Any],
) -> Response:
    page = paginator.paginate_queryset(queryset, request, view=view)
    data = serializer(page, many=True, context={"request": request}).data
    return paginator.get_paginated_response(data)


# ---------------------------------------------------------------- gigs
class GigListView(APIView):
    # Set on the view (not only used in `get`) so that the schema shows the page envelope and
    # the `cursor` parameter.
    pagination_class = NewestFirst

    def get_permissions(self) -> list[Any]:
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(
        operation_id="gigs_list",
        parameters=[GigSearchSerializer],
        # `auth=[]`: no login needed; a stale token is still refused (401), as everywhere.
        responses={200: GigSerializer(many=True), **errors(400, 401, 404)},
        auth=[],
    )
    def get(self, request: Request) -> Response:
        incoming = GigSearchSerializer(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        return _page(
            self,
            request,
            selectors.public_gigs(search=incoming.validated_data["q"][:100]),
            self.pagination_class(),
            GigSerializer,
        )

    @extend_schema(
        operation_id="gigs_create",
        request=GigCreateSerializer,
        responses={201: GigSerializer, **errors(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        incoming = GigCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        gig = services.create_gig(
            actor=_user(request),
            title=data["title"],
            description=data["description"],
            base_price_cents=data["base_price"],
            extras=[ExtraInput(e["name"], e["price"]) for e in data.get("extras", [])],
        )
        return Response(
            GigSerializer(
                selectors.gig_for(_user(request), gig.pk), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class GigDetailView(APIView):
    def get_permissions(self) -> list[Any]:
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(
        operation_id="gigs_retrieve", responses={200: GigSerializer, **errors(401, 404)}, auth=[]
    )
    def get(self, request: Request, gig_id: int) -> Response:
        viewer = request.user if isinstance(request.user, User) else None
        return Response(
            GigSerializer(selectors.gig_for(viewer, gig_id), context={"request": request}).data
        )

    @extend_schema(
        operation_id="gigs_partial_update",
        request=GigUpdateSerializer,
        responses={200: GigSerializer, **errors(400, 401, 403, 404)},
    )
    def patch(self, request: Request, gig_id: int) -> Response:
        user = _user(request)
        gig = selectors.gig_for(user, gig_id)
        incoming = GigUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        extras = data.get("extras")
        services.update_gig(
            gig,
            actor=user,
            title=data.get("title"),
            description=data.get("description"),
            base_price_cents=data.get("base_price"),
            status=GigStatus(data["status"]) if "status" in data else None,
            extras=[ExtraInput(e["name"], e["price"]) for e in extras]
            if extras is not None
            else None,
        )
        return Response(
            GigSerializer(selectors.gig_for(user, gig_id), context={"request": request}).data
        )


# ---------------------------------------------------------------- orders
class OrderListView(APIView):
    pagination_class = OrdersNewestFirst

    @extend_schema(
        operation_id="orders_list",
        parameters=[OrderFilterSerializer],
        responses={200: OrderSerializer(many=True), **errors(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        incoming = OrderFilterSerializer(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        sides = selectors.order_lists(_user(request), role=incoming.validated_data.get("role"))
        page = ORDER_PAGES.page(request, sides)
        data = OrderSerializer(page.items, many=True, context={"request": request}).data
        return ORDER_PAGES.response(request, page, data)

    @extend_schema(
        operation_id="orders_create",
        request=OrderCreateSerializer,
        responses={201: OrderSerializer, **errors(400, 401, 402, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        incoming = OrderCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        gig = selectors.gig_for(user, incoming.validated_data["gig"])
        order = services.place_order(gig, actor=user, extra_ids=incoming.validated_data["extras"])
        return Response(
            OrderSerializer(selectors.order_for(user, order.pk), context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class OrderDetailView(APIView):
    @extend_schema(
        operation_id="orders_retrieve", responses={200: OrderSerializer, **errors(401, 404)}
    )
    def get(self, request: Request, order_id: str) -> Response:
        order = selectors.order_for(_user(request), order_id)
        return Response(OrderSerializer(order, context={"request": request}).data)


def _order_action(event: str) -> type[APIView]:
    """The endpoint of one event of the order's state table, documented from its rows."""
    summary = " ".join(row.summary for row in order_states.rows_for(event) if row.by)

    class OrderActionView(APIView):
        @extend_schema(
            operation_id=f"orders_{event}",
            request=None,
            responses={200: OrderSerializer, **errors(401, 403, 404, 409)},
            summary=summary,
        )
        def post(self, request: Request, order_id: str) -> Response:
            user = _user(request)
            order = trigger(selectors.order_for(user, order_id), actor=user, event=event)
            order = selectors.order_for(user, order.pk)
            return Response(OrderSerializer(order, context={"request": request}).data)

    OrderActionView.__name__ = f"Order{event.title().replace('_', '')}View"
    return OrderActionView


# One endpoint per event of the state table that a party triggers with no input (a tip has a
# body, below): /api/orders/{id}/deliver/, …/request-revision/, …/accept/, …/cancel/.
ORDER_ACTION_VIEWS: dict[str, type[APIView]] = {
    order_states.rows_for(event)[0].slug: _order_action(event)
    for event in order_states.ACTION_EVENTS
    if event in SIMPLE_EVENTS
}


class OrderTipView(APIView):
    @extend_schema(
        operation_id="orders_tip",
        request=TipSerializer,
        responses={200: OrderSerializer, **errors(400, 401, 402, 403, 404, 409)},
        summary="The buyer adds a tip after delivery.",
    )
    def post(self, request: Request, order_id: str) -> Response:
        user = _user(request)
        order = selectors.order_for(user, order_id)
        incoming = TipSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.tip_order(order, actor=user, amount_cents=incoming.validated_data["amount"])
        order = selectors.order_for(user, order.pk)
        return Response(OrderSerializer(order, context={"request": request}).data)


# ---------------------------------------------------------------- inbox
class ConversationListView(APIView):
    pagination_class = ConversationsRecentFirst

    @extend_schema(
        operation_id="conversations_list",
        responses={200: ConversationSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request: Request) -> Response:
        return _page(
            self,
            request,
            selectors.conversations_of(_user(request)),
            self.pagination_class(),
            ConversationSerializer,
        )

    @extend_schema(
        operation_id="conversations_create",
        request=ConversationCreateSerializer,
        responses={
            200: ConversationSerializer,
            201: ConversationSerializer,
            **errors(400, 401, 403, 404),
        },
        summary="The conversation with a user: the existing one (200) or a new one (201).",
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        incoming = ConversationCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        other = get_object_or_404(
            User.objects.filter(is_active=True), pk=incoming.validated_data["with"]
        )
        conversation, created = services.start_conversation(actor=user, other=other)
        conversation = selectors.conversation_for(user, conversation.pk)
        return Response(
            ConversationSerializer(conversation, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ConversationDetailView(APIView):
    @extend_schema(
        operation_id="conversations_retrieve",
        responses={200: ConversationSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, conversation_id: str) -> Response:
        conversation = selectors.conversation_for(_user(request), conversation_id)
        return Response(ConversationSerializer(conversation, context={"request": request}).data)


class MessageListView(APIView):
    pagination_class = MessagesInTimeOrder

    @extend_schema(
        operation_id="conversations_messages_list",
        responses={200: MessageSerializer(many=True), **errors(401, 404)},
        summary="Messages in time order; reading marks the conversation read.",
    )
    def get(self, request: Request, conversation_id: str) -> Response:
        user = _user(request)
        page = MESSAGE_PAGES.page(
            request, selectors.VisibleMessages(user, uuid.UUID(str(conversation_id)))
        )
        # The page's messages carry what marking their conversation read needs (one query for
        # both, docs/performance.md); only an empty page needs the separate look-up that
        # answers an outsider with 404.
        conversation = (
            selectors.conversation_of(page.items[0])
            if page.items
            else selectors.participant_conversation(user, conversation_id)
        )
        services.mark_read(conversation, actor=user)
        return MESSAGE_PAGES.response(request, page, MessageSerializer(page.items, many=True).data)

    @extend_schema(
        operation_id="conversations_messages_create",
        request=MessageCreateSerializer,
        responses={201: MessageSerializer, **errors(400, 401, 403, 404, 429)},
    )
    def post(self, request: Request, conversation_id: str) -> Response:
        user = _user(request)
        conversation = selectors.participant_conversation(user, conversation_id)
        incoming = MessageCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        message = services.send_message(
            conversation, actor=user, body=incoming.validated_data["body"]
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- earnings and wallet
class EarningsView(APIView):
    @extend_schema(
        operation_id="earnings_retrieve", responses={200: EarningsSerializer, **errors(401)}
    )
    def get(self, request: Request) -> Response:
        earnings = selectors.earnings_of(_user(request))
        return Response(
            EarningsSerializer({**earnings.__dict__, "explanation": str(EARNINGS_EXPLANATION)}).data
        )


class WalletView(APIView):
    @extend_schema(operation_id="wallet_retrieve", responses={200: WalletSerializer, **errors(401)})
    def get(self, request: Request) -> Response:
        return Response(WalletSerializer(selectors.balances(_user(request))).data)


class WithdrawalCreateView(APIView):
    pagination_class = WithdrawalsNewestFirst

    @extend_schema(
        operation_id="wallet_withdrawals_list",
        responses={200: WithdrawalSerializer(many=True), **errors(401, 404)},
        summary="Your withdrawals with their status, newest first.",
    )
    def get(self, request: Request) -> Response:
        return _page(
            self,
            request,
            selectors.withdrawals_of(_user(request)),
            self.pagination_class(),
            WithdrawalSerializer,
        )

    @extend_schema(
        operation_id="wallet_withdrawals_create",
        request=WithdrawalCreateSerializer,
        responses={
            201: WithdrawalSerializer,
            200: WithdrawalSerializer,
            **errors(400, 401, 403, 409),
        },
        summary="Withdraw available funds (201), or replay a request with the same key (200).",
    )
    def post(self, request: Request) -> Response:
        incoming = WithdrawalCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        withdrawal, created = services.withdraw_funds(
            actor=_user(request),
            amount_cents=incoming.validated_data["amount"],
            idempotency_key=incoming.validated_data["idempotency_key"],
        )
        withdrawal.refresh_from_db()
        return Response(
            WithdrawalSerializer(withdrawal).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class LedgerEntryListView(APIView):
    pagination_class = EntriesNewestFirst

    @extend_schema(
        operation_id="wallet_entries_list",
        responses={200: LedgerEntrySerializer(many=True), **errors(401, 404)},
        summary="Every movement of your money, newest first, each explained in words.",
    )
    def get(self, request: Request) -> Response:
        return _page(
            self,
            request,
            selectors.ledger_of(_user(request)),
            self.pagination_class(),
            LedgerEntrySerializer,
        )
