"""The order's state table (K-2, M-7) drives the services, the gate, the pages, the API, the
notices and the audit — and includes what staff and the system may do (`actor=None`)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from core.errors import NotAllowed
from core.models import Notification
from marketplace import message_kinds, order_states, permissions, selectors, services
from marketplace.audit import ORDER_ACTIONS
from marketplace.errors import InvalidTransition
from marketplace.models import Bucket, EntryKind, LedgerEntry, Message, OrderStatus
from marketplace.notices import ORDER_NOTICES
from marketplace.providers import locmem
from marketplace.services.orders import SIMPLE_EVENTS
from tests.clients import as_user, client_for

pytestmark = pytest.mark.django_db


def test_every_row_has_its_notice_audit_action_and_service():
    for row in order_states.TRANSITIONS:
        assert row.happened in ORDER_ACTIONS
        assert row.happened in ORDER_NOTICES
        assert "%(title)s" in str(row.notice)
    # Every event a party triggers has its service (a tip, with its amount, is `tip_order`).
    assert set(order_states.ACTION_EVENTS) == {*SIMPLE_EVENTS, "tip"}


@pytest.mark.parametrize(
    ("status", "buyer_may", "seller_may"),
    [
        ("active", ["cancel"], ["deliver", "cancel"]),
        ("delivered", ["request_revision", "accept", "tip"], []),
        ("completed", ["tip"], []),
        ("cancelled", [], []),
    ],
)
def test_who_may_do_what_in_each_state(order, buyer, seller, status, buyer_may, seller_may):
    order.status = status
    assert permissions.available_events(buyer, order) == buyer_may
    assert permissions.available_events(seller, order) == seller_may


def test_the_api_tells_each_party_what_they_may_do_now(delivered, buyer, seller):
    url = f"/api/orders/{delivered.id}/"
    assert as_user(buyer).get(url).json()["actions"] == ["request_revision", "accept", "tip"]
    assert as_user(seller).get(url).json()["actions"] == []


def test_the_page_shows_the_buttons_of_the_table(order, buyer, seller):
    seller_page = client_for(seller).get(f"/orders/{order.id}/").content.decode()
    assert "Deliver</button>" in seller_page
    assert "Cancel order</button>" in seller_page
    buyer_page = client_for(buyer).get(f"/orders/{order.id}/").content.decode()
    assert "Deliver</button>" not in buyer_page
    assert "Add a tip</button>" not in buyer_page
    services.deliver_order(order, actor=seller)
    buyer_page = client_for(buyer).get(f"/orders/{order.id}/").content.decode()
    for label in ("Accept delivery", "Ask for a revision", "Add a tip"):
        assert f"{label}</button>" in buyer_page
    assert "Cancel order</button>" not in buyer_page


def test_a_system_cancellation_of_a_tipped_delivery_refunds_the_buyer_once(
    delivered, buyer, seller
):
    services.tip_order(delivered, actor=buyer, amount_cents=1500)
    services.cancel_order(delivered, actor=None, reason="seller banned")
    with pytest.raises(InvalidTransition):
        services.cancel_order(delivered, actor=None, reason="again")
    delivered.refresh_from_db()
    assert delivered.status == OrderStatus.CANCELLED
    assert delivered.tip_cents == 1500
    # 50.00 base and the 15.00 tip back as credit, once.
    assert selectors.balances(buyer).credit_cents == 6500
    assert LedgerEntry.objects.filter(order=delivered, kind=EntryKind.REFUND).count() == 1
    assert selectors.balances(seller).pending_cents == 0
    notice = Message.objects.filter(kind=message_kinds.NOTICE.name).latest("id")
    assert notice.payload["event"] == "order_cancelled_by_platform"
    assert {n.user_id for n in Notification.objects.filter(kind="order_cancelled_by_platform")} == {
        buyer.pk,
        seller.pk,
    }


def test_the_ledger_itself_refuses_a_second_refund_of_an_order(order, buyer):
    services.cancel_order(order, actor=buyer)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            user=buyer, bucket=Bucket.CREDIT, kind=EntryKind.REFUND, amount_cents=1, order=order
        )


def test_a_reviewer_may_cancel_a_delivered_order_a_support_agent_and_a_party_may_not(
    delivered, buyer, reviewer, support_agent
):
    with pytest.raises(InvalidTransition):
        services.cancel_order(delivered, actor=buyer)
    with pytest.raises(NotAllowed) as refused:
        services.cancel_order(delivered, actor=support_agent)
    assert refused.value.code == "not_a_party"
    services.cancel_order(delivered, actor=reviewer, reason="fraud report")
    delivered.refresh_from_db()
    assert (delivered.status, delivered.cancellation_reason) == ("cancelled", "fraud report")


def test_a_completed_order_is_not_cancelled_even_by_the_system(completed):
    with pytest.raises(InvalidTransition):
        services.cancel_order(completed, actor=None)


def test_a_revision_after_a_tip_keeps_the_tip(delivered, buyer, seller):
    services.tip_order(delivered, actor=buyer, amount_cents=500)
    revised = services.request_revision(delivered, actor=buyer)
    assert (revised.status, revised.tip_cents) == ("active", 500)
    redelivered = services.deliver_order(revised, actor=seller)
    completed = services.accept_order(redelivered, actor=buyer)
    assert selectors.earnings_of(seller).earnings_asp == 55
    assert completed.status == "completed"


def test_each_transition_tells_the_other_party(order, buyer, seller):
    services.deliver_order(order, actor=seller)
    delivered = Notification.objects.get(kind="order_delivered")
    assert delivered.user == buyer
    assert delivered.context == {"order": str(order.id), "title": order.title}
    assert Notification.objects.get(kind="order_placed").user == seller


def test_the_tip_is_charged_once_and_told(delivered, buyer, seller):
    services.tip_order(delivered, actor=buyer, amount_cents=700)
    assert [c[0] for c in locmem.state.calls] == ["charge", "charge"]
    tipped = Notification.objects.get(kind="order_tipped")
    assert tipped.user == seller


@pytest.mark.parametrize(
    ("event", "who", "status", "code"),
    [
        ("deliver", "buyer", "active", "seller_only"),
        ("deliver", "outsider", "active", "not_a_party"),
        ("deliver", "reviewer", "active", "not_a_party"),
        ("deliver", "seller", "active", ""),
        ("accept", "seller", "delivered", "buyer_only"),
        ("accept", "outsider", "delivered", "not_a_party"),
        ("accept", "reviewer", "delivered", "not_a_party"),
        ("accept", "buyer", "delivered", ""),
        ("request_revision", "seller", "delivered", "buyer_only"),
        ("tip", "seller", "delivered", "buyer_only"),
        ("tip", "outsider", "delivered", "not_a_party"),
        ("cancel", "outsider", "active", "not_a_party"),
        ("cancel", "support_agent", "active", "not_a_party"),
        ("cancel", "reviewer", "delivered", ""),
        ("cancel", "seller", "delivered", "invalid_transition"),
        ("cancel", None, "delivered", ""),
        ("cancel", None, "completed", "invalid_transition"),
    ],
)
def test_each_refusal_names_its_rule(
    order, buyer, seller, outsider, support_agent, reviewer, event, who, status, code
):
    people = {
        "buyer": buyer,
        "seller": seller,
        "outsider": outsider,
        "support_agent": support_agent,
        "reviewer": reviewer,
        None: None,
    }
    order.status = status
    if status != "active":
        order.delivered_at = order.placed_at
    assert permissions.may_trigger(people[who], order, event).code == code
