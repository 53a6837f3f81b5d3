"""`cancel_open_orders_of`, the platform's batch cancellation (a ban's), writes for each order
exactly what `cancel_order(order, actor=None)` writes — compared row by row, table by table —
with one statement per table instead of one per order."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry
from core.models import Notification
from marketplace import services
from marketplace.models import Conversation, LedgerEntry, Message, Order, SellerStats
from tests.factories import UserFactory, make_gig

pytestmark = pytest.mark.django_db


def open_orders(seller, buyers) -> list[Order]:
    gig = make_gig(seller, extras={"Express": "10.00"})
    orders = []
    for buyer in buyers:
        orders.append(services.place_order(gig, actor=buyer, extra_ids=[]))
        delivered = services.place_order(
            gig, actor=buyer, extra_ids=[e.id for e in gig.extras.all()]
        )
        delivered = services.deliver_order(delivered, actor=seller)
        orders.append(services.tip_order(delivered, actor=buyer, amount_cents=300))
    return orders


def written_for(order: Order) -> dict[str, Any]:
    """What a cancellation left behind for one order, without ids and timestamps."""
    order.refresh_from_db()
    return {
        "order": (order.status, order.cancellation_reason, order.cancelled_at is not None),
        "ledger": sorted(
            LedgerEntry.objects.filter(order=order, kind="refund").values_list(
                "user_id", "bucket", "amount_cents"
            )
        ),
        "notices": sorted(
            (m.kind, m.body, m.sender_id, m.payload["event"])
            for m in Message.objects.filter(order=order, kind="system")
            if m.payload.get("event", "").startswith("order_cancelled")
        ),
        "notifications": sorted(
            (n.user_id, n.kind, n.email_status)
            for n in Notification.objects.filter(
                context__order=str(order.pk), kind="order_cancelled_by_platform"
            )
        ),
        "audit": sorted(
            (e.action, e.actor_id, e.target_user_id, e.reason, tuple(sorted(e.data.items())))
            for e in AuditEntry.objects.filter(object_id=str(order.pk), action__contains="cancel")
        ),
    }


def test_a_batch_writes_what_one_by_one_writes(seller):
    buyers = UserFactory.create_batch(2)
    one_by_one = open_orders(seller, buyers)
    batched = open_orders(seller, buyers)
    for order in one_by_one:
        services.cancel_order(order, actor=None, reason="banned")
    # The batch: the user's open orders are `batched` (one_by_one's are cancelled by now).
    cancelled = services.cancel_open_orders_of(seller, reason="banned", limit=100)
    assert {order.pk for order in cancelled} == {order.pk for order in batched}
    for single, batch in zip(one_by_one, batched, strict=True):
        expected = written_for(single)
        assert expected["ledger"]  # the comparison compares something
        assert expected["notices"]
        assert expected["notifications"]
        assert expected["audit"]
        assert written_for(batch) == expected


def test_the_conversation_and_the_sellers_figures_follow(seller, buyer):
    orders = open_orders(seller, [buyer])
    conversation = Conversation.objects.get(pk=orders[0].conversation_id)
    before = (conversation.unread_low, conversation.unread_high)
    services.cancel_open_orders_of(buyer, reason="banned", limit=100)
    conversation.refresh_from_db()
    assert (conversation.unread_low, conversation.unread_high) == (before[0] + 2, before[1] + 2)
    assert conversation.last_message is not None
    assert conversation.last_message.kind == "system"
    assert SellerStats.objects.get(seller=seller).last_order_at is None  # none left that count


def test_a_batch_costs_the_same_statements_for_2_or_50_orders(seller):
    open_orders(seller, UserFactory.create_batch(1))  # 2 orders, 1 buyer
    other = UserFactory.create()
    open_orders(other, [buyer for buyer in UserFactory.create_batch(1) for _ in range(25)])
    with CaptureQueriesContext(connection) as small:
        assert len(services.cancel_open_orders_of(seller, reason="banned", limit=100)) == 2
    with CaptureQueriesContext(connection) as large:
        assert len(services.cancel_open_orders_of(other, reason="banned", limit=100)) == 50
    # Per buyer and per conversation (their balance, their summary), never per order.
    assert len(large.captured_queries) == len(small.captured_queries)


def test_orders_no_longer_open_are_left_out_and_the_limit_holds(seller, buyer):
    first, second = open_orders(seller, [buyer])
    third, fourth = open_orders(seller, [buyer])
    services.cancel_order(first, actor=buyer)
    cancelled = services.cancel_open_orders_of(seller, reason="banned", limit=2)
    assert len(cancelled) == 2
    assert first not in cancelled
    assert LedgerEntry.objects.filter(order=first, kind="refund").count() == 1
    rest = services.cancel_open_orders_of(seller, reason="banned", limit=2)
    assert len(rest) == 1  # fewer than the limit: none left
    assert {order.pk for order in [*cancelled, *rest]} == {second.pk, third.pk, fourth.pk}
