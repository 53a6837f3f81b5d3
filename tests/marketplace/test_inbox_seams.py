"""The inbox's extension points: message kinds other apps declare (rendered on pages and in the
API without a marketplace template or migration), and the message filter that screens a
message before it is stored."""

from __future__ import annotations

import pytest

from marketplace import message_kinds, services
from marketplace.message_kinds import MessageKind, message_kind
from marketplace.models import Message
from tests.clients import as_user, client_for
from tests.message_filters import CardMasker

pytestmark = pytest.mark.django_db

# What moderation will do for its safety notices: declare a kind with its own template.
SAFETY = message_kind(
    "test_safety_notice",
    label="Safety notice",
    template="tests/safety_notice.html",
    text=lambda message: f"Stay safe: {message.payload['rule']}",
    has_sender=False,
)


def test_a_kind_declared_elsewhere_renders_on_the_page_and_in_the_api(order, buyer):
    services.post_message(
        order.conversation,
        actor=None,
        kind=SAFETY,
        body="Stay safe",
        payload={"rule": "C-14"},
    )
    page = client_for(buyer).get(f"/inbox/{order.conversation_id}/").content.decode()
    assert '<p class="safety-notice" data-testid="safety-notice">Stay safe: C-14 (C-14)</p>' in page
    inbox = client_for(buyer).get("/inbox/").content.decode()
    assert "Stay safe: C-14" in inbox
    api = as_user(buyer).get(f"/api/conversations/{order.conversation_id}/messages/").json()
    latest = api["results"][-1]
    assert (latest["kind"], latest["text"], latest["sender"]) == (
        "test_safety_notice",
        "Stay safe: C-14",
        None,
    )


def test_only_declared_kinds_with_the_right_sender_are_posted(order, seller):
    stray = MessageKind("stray", "Stray", "x.html", lambda m: "", has_sender=True)
    with pytest.raises(ValueError, match="not a declared message kind"):
        services.post_message(order.conversation, actor=seller, kind=stray, body="x")
    with pytest.raises(ValueError, match="has no sender"):
        services.post_message(order.conversation, actor=seller, kind=SAFETY, body="x")
    with pytest.raises(ValueError, match="needs"):
        services.post_message(order.conversation, actor=None, kind=message_kinds.TEXT, body="x")
    assert not Message.objects.filter(body="x").exists()


def test_a_message_of_a_kind_nobody_declares_any_more_shows_as_text(order, buyer):
    message = services.post_message(order.conversation, actor=buyer, body="plain")
    Message.objects.filter(pk=message.pk).update(kind="retired_kind")
    page = client_for(buyer).get(f"/inbox/{order.conversation_id}/").content.decode()
    assert "<p>plain</p>" in page


def test_the_filter_masks_a_card_number_before_it_is_stored(order, buyer, settings):
    settings.MESSAGE_FILTER = "tests.message_filters.CardMasker"
    CardMasker.found.clear()
    message = services.send_message(
        order.conversation, actor=buyer, body="My card is 4242 4242 4242 4242, call me"
    )
    assert message.body == "My card is •••• 4242, call me"
    assert not Message.objects.filter(body__contains="4242 4242").exists()
    assert message.payload == {"screened": ["card_number"]}
    assert CardMasker.found == [(message.pk, ["card_number"])]
    # A number that fails the Luhn check (an order number, say) passes untouched.
    other = services.send_message(order.conversation, actor=buyer, body="Order 1234567890123")
    assert (other.body, other.payload) == ("Order 1234567890123", {})
    assert len(CardMasker.found) == 1


def test_without_a_filter_messages_are_stored_as_written(order, buyer, settings):
    settings.MESSAGE_FILTER = "marketplace.message_filters.MessageFilter"  # the no-op one
    message = services.send_message(order.conversation, actor=buyer, body="4242 4242 4242 4242")
    assert message.body == "4242 4242 4242 4242"
