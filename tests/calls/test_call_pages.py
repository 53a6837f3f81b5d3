"""The calls pages without a browser: the camera button's states and words, starting a call from
the conversation, the invitation in each reader's time zone (C-6), invites and the summary on
the order (C-8, C-13), and who may open each page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from accounts.models import User
from calls import services
from calls.models import Call
from marketplace.models import Message, OrderNote
from marketplace.services.inbox import conversation_between
from tests.calls.conftest import sell
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def conversation_page(user, other) -> str:
    response = client_for(user).get(f"/inbox/{conversation_between(user, other).pk}/")
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_eligible_seller_gets_the_camera_button_and_why(eligible_seller, buyer):
    page = conversation_page(eligible_seller, buyer)
    assert "Start a video call with Bea Buyer" in page
    assert "your average selling price (base prices only) is $60.00, at least $50.00" in page
    assert 'disabled aria-describedby="call-why"' not in page


def test_the_buyer_gets_a_switched_off_button_and_the_reason(eligible_seller, buyer):
    page = conversation_page(buyer, eligible_seller)
    assert 'disabled aria-describedby="call-why"' in page
    assert "Only sellers can start a call; the seller can call you." in page
    assert "$60.00" not in page  # never the seller's figures


def test_an_open_call_replaces_the_button_with_its_link(eligible_seller, buyer, start_call):
    call = start_call()
    page = conversation_page(buyer, eligible_seller)
    assert f'href="/calls/{call.pk}/">' in page
    assert "A call is open: details and Join" in page


def test_a_call_is_started_from_the_conversation(eligible_seller, buyer):
    conversation = conversation_between(eligible_seller, buyer)
    response = client_for(eligible_seller).post(
        f"/calls/start/{conversation.pk}/", {"topic": "Logo brief", "scheduled_for": ""}
    )
    call = Call.objects.get()
    assert response.url == f"/inbox/{conversation.pk}/#call-{call.pk}"
    assert call.topic == "Logo brief"
    page = conversation_page(buyer, eligible_seller)
    assert f'id="call-{call.pk}"' in page
    assert "Video call: Logo brief" in page
    assert f'href="/calls/{call.pk}/join/"' in page


def test_starting_needs_csrf_like_every_form(eligible_seller, buyer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(eligible_seller)
    conversation = conversation_between(eligible_seller, buyer)
    assert client.post(f"/calls/start/{conversation.pk}/", {}).status_code == 403
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [("2020-01-01T10:00", "Choose a time in the future."), ("soon", "Enter a valid date/time.")],
)
def test_a_bad_time_on_the_page_says_what_is_wrong(eligible_seller, buyer, value, message):
    conversation = conversation_between(eligible_seller, buyer)
    client = client_for(eligible_seller)
    response = client.post(f"/calls/start/{conversation.pk}/", {"scheduled_for": value})
    assert not Call.objects.exists()
    assert message in client.get(response.url).content.decode()


def test_an_ineligible_start_on_the_page_is_refused_in_words(eligible_seller, buyer):
    conversation = conversation_between(eligible_seller, buyer)
    client = client_for(buyer)
    response = client.post(f"/calls/start/{conversation.pk}/", {})
    assert not Call.objects.exists()
    assert "You cannot start a call with this user." in client.get(response.url).content.decode()


def test_an_outsider_cannot_start_a_call_in_someone_elses_conversation(
    eligible_seller, buyer, outsider
):
    conversation = conversation_between(eligible_seller, buyer)
    assert client_for(outsider).post(f"/calls/start/{conversation.pk}/", {}).status_code == 404


def test_the_invitation_shows_each_reader_their_time_and_the_other_partys(
    eligible_seller, buyer, start_call
):
    User.objects.filter(pk=eligible_seller.pk).update(timezone="America/New_York")
    User.objects.filter(pk=buyer.pk).update(timezone="Europe/Berlin", language="de")
    eligible_seller.refresh_from_db()
    buyer.refresh_from_db()
    at = datetime(2027, 1, 10, 3, 0, tzinfo=UTC)
    call = services.start_call(
        conversation_between(eligible_seller, buyer),
        actor=eligible_seller,
        scheduled_for=at,
        topic="Brief",
    )
    seller_page = conversation_page(eligible_seller, buyer)
    assert "Starts Jan 9, 2027, 10:00\u202fPM (your time)." in seller_page
    assert "For Bea Buyer that is Jan 10, 2027, 4:00\u202fAM (Europe/Berlin)." in seller_page
    assert "This is outside 08:00\u201320:00 for Bea Buyer." in seller_page
    buyer_page = conversation_page(buyer, eligible_seller)
    assert "10. Jan. 2027, 04:00" in buyer_page  # German, Berlin time
    assert "9. Jan. 2027, 22:00" in buyer_page  # the seller's New York evening
    assert Message.objects.get(kind="call_invitation").payload["call"] == str(call.pk)


def test_a_call_in_the_other_partys_daytime_has_no_warning(eligible_seller, buyer):
    at = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
    services.start_call(
        conversation_between(eligible_seller, buyer), actor=eligible_seller, scheduled_for=at
    )
    assert "outside 08:00\u201320:00" not in conversation_page(eligible_seller, buyer)


# ---------------------------------------------------------------- the call page
def test_the_host_invites_on_the_call_page_and_sees_what_is_wrong(
    start_call, eligible_seller, invited
):
    call = start_call()
    client = client_for(eligible_seller)
    bad = client.post(f"/calls/{call.pk}/invite/", {"emails": "nobody@example.test, x"})
    assert bad.status_code == 400
    assert "Not an e-mail address: x" in bad.content.decode()
    unknown = client.post(f"/calls/{call.pk}/invite/", {"emails": "nobody@example.test"})
    assert "There is no account with this e-mail address." in unknown.content.decode()
    good = client.post(f"/calls/{call.pk}/invite/", {"emails": invited.email})
    assert good.status_code == 302
    assert call.participants.filter(user=invited).exists()


def test_the_seller_notes_what_was_agreed_on_the_order(eligible_seller, buyer):
    order = sell(eligible_seller, buyer, complete=False)
    call = services.start_call(conversation_between(eligible_seller, buyer), actor=eligible_seller)
    assert call.order_id == order.pk
    services.join_call(call, actor=buyer)
    services.end_call(call, actor=eligible_seller)
    page = client_for(eligible_seller).get(f"/calls/{call.pk}/").content.decode()
    assert "Note what you agreed" in page
    assert (
        "Note what you agreed" not in client_for(buyer).get(f"/calls/{call.pk}/").content.decode()
    )
    response = client_for(eligible_seller).post(
        f"/calls/{call.pk}/summary/", {"summary": "Two concepts by Friday."}
    )
    assert response.url == f"/orders/{order.pk}/"
    assert OrderNote.objects.get().body == "Two concepts by Friday."
    order_page = client_for(buyer).get(f"/orders/{order.pk}/").content.decode()
    assert "Two concepts by Friday." in order_page
    assert "after a call" in order_page
    assert (
        client_for(buyer).post(f"/calls/{call.pk}/summary/", {"summary": "mine"}).status_code == 404
    )
    empty = client_for(eligible_seller).post(f"/calls/{call.pk}/summary/", {"summary": ""})
    assert empty.status_code == 400
    assert OrderNote.objects.count() == 1


def test_the_room_and_the_call_page_are_for_participants(start_call, outsider, buyer):
    call = start_call()
    assert client_for(outsider).get(f"/calls/room/{call.provider_meeting_id}/").status_code == 404
    room = client_for(buyer).get(f"/calls/room/{call.provider_meeting_id}/")
    assert room.status_code == 200
    assert "End the call for everyone" in room.content.decode()
    assert client_for(outsider).post(f"/calls/{call.pk}/end/").status_code == 404
    assert re.search(r"Scheduled for", client_for(buyer).get(f"/calls/{call.pk}/").content.decode())


def test_the_earnings_page_tells_the_seller_where_they_stand_for_calls(seller, buyer):
    sell(seller, buyer, price="42.10")
    page = client_for(seller).get("/earnings/").content.decode()
    assert "Video calls with buyers" in page
    assert "Your average selling price for calls is $42.10; $50.00 is needed" in page
    assert "tips and extras don&#x27;t count" in page
    assert "you can always call Pro and Select buyers" in page
    # Someone who sells nothing is not told about calls at all.
    assert "Video calls with buyers" not in client_for(buyer).get("/earnings/").content.decode()


def test_an_eligible_seller_reads_until_when_on_the_earnings_page(eligible_seller):
    page = client_for(eligible_seller).get("/earnings/").content.decode()
    assert "You can start calls: your average selling price (base prices only) is $60.00" in page
