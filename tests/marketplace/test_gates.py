"""The gates (M-3): restricted users finish what is under way and nothing new; banned users
nothing. Standing is set with the accounts service, as moderation will."""

from __future__ import annotations

import pytest

from accounts import services as accounts_services
from accounts.models import Standing
from core.errors import NotAllowed
from marketplace import selectors, services
from marketplace.models import Conversation, GigStatus
from tests.factories import UserFactory, make_gig

pytestmark = pytest.mark.django_db


def restrict(user):
    return accounts_services.set_standing(
        user, standing=Standing.RESTRICTED, actor=None, reason="review"
    )


def ban(user):
    return accounts_services.set_standing(user, standing=Standing.BANNED, actor=None, reason="ban")


def refused(call, code):
    with pytest.raises(NotAllowed) as error:
        call()
    assert error.value.code == code


def test_a_restricted_sellers_gigs_are_hidden_and_cannot_be_ordered(gig, seller, buyer, client):
    restrict(seller)
    assert not selectors.public_gigs().exists()
    assert not selectors.public_gigs(search="Logo").exists()
    assert client.get(f"/api/gigs/{gig.id}/").status_code == 404
    refused(lambda: services.place_order(gig, actor=buyer, extra_ids=[]), "seller_unavailable")


def test_a_restricted_seller_still_sees_and_can_pause_their_own_gig(gig, seller):
    restrict(seller)
    assert selectors.gig_for(seller, gig.id) == gig
    services.update_gig(gig, actor=seller, status=GigStatus.PAUSED)
    refused(lambda: services.update_gig(gig, actor=seller, title="New"), "account_restricted")


def test_a_restricted_buyer_cannot_place_a_new_order(gig, buyer):
    restrict(buyer)
    refused(lambda: services.place_order(gig, actor=buyer, extra_ids=[]), "account_restricted")


def test_a_restricted_user_finishes_open_orders(order, buyer, seller):
    restrict(seller)
    restrict(buyer)
    order = services.deliver_order(order, actor=seller)
    services.send_message(order.conversation, actor=seller, body="Delivered, have a look")
    services.send_message(order.conversation, actor=buyer, body="Looks good")
    services.tip_order(order, actor=buyer, amount_cents=100)
    services.accept_order(order, actor=buyer)


def test_a_restricted_user_messages_only_the_other_party_of_an_open_order(order, seller, buyer):
    stranger = UserFactory.create()
    restrict(seller)
    services.send_message(order.conversation, actor=seller, body="About your order")
    refused(lambda: services.start_conversation(actor=seller, other=stranger), "account_restricted")
    refused(
        lambda: services.start_conversation(actor=stranger, other=seller), "recipient_unavailable"
    )
    services.cancel_order(order, actor=buyer)
    refused(
        lambda: services.send_message(order.conversation, actor=seller, body="Hi"),
        "account_restricted",
    )


def test_a_restricted_user_may_withdraw_and_a_banned_user_may_not(seller):
    restrict(seller)
    with pytest.raises(Exception, match="available balance"):
        services.withdraw_funds(actor=seller, amount_cents=100, idempotency_key="k1")
    ban(seller)
    refused(
        lambda: services.withdraw_funds(actor=seller, amount_cents=100, idempotency_key="k2"),
        "account_banned",
    )


def test_a_banned_user_can_do_nothing(order, gig, buyer, seller):
    ban(buyer)
    refused(lambda: services.place_order(gig, actor=buyer, extra_ids=[]), "account_banned")
    refused(lambda: services.cancel_order(order, actor=buyer), "account_banned")
    refused(
        lambda: services.send_message(order.conversation, actor=buyer, body="x"),
        "account_banned",
    )
    refused(
        lambda: services.send_message(order.conversation, actor=seller, body="x"),
        "recipient_unavailable",
    )
    refused(
        lambda: services.create_gig(actor=buyer, title="t", description="d", base_price_cents=100),
        "account_banned",
    )


def test_nobody_orders_their_own_gig_or_messages_themselves(seller):
    own = make_gig(seller)
    refused(lambda: services.place_order(own, actor=seller, extra_ids=[]), "own_gig")
    refused(lambda: services.start_conversation(actor=seller, other=seller), "self_message")
    assert not Conversation.objects.exists()
