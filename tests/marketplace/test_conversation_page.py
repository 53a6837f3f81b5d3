"""The conversation reads like a chat: the reader's own messages on one side, the other party's
on the other, with names and initials; a separator for each day in the reader's time zone;
system notices as cards; earlier messages loaded above in place; the poll brings only what is
new, with a separator when a new day starts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts import services as accounts_services
from marketplace import services
from tests.clients import client_for

pytestmark = pytest.mark.django_db

# 23:30 UTC on Dec 3 is already Dec 4 in Berlin.
LATE = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)


def lines(page: str) -> list[tuple[str, str]]:
    """(kind, text) for each line of the chat, in order: day, mine, theirs, notice."""
    found = []
    for match in re.finditer(
        r'<li class="(day-break|bubble (?:mine|theirs)|notice-card)[^"]*"[^>]*>(.*?)</li>',
        page,
        re.S,
    ):
        kind = match.group(1).replace("bubble ", "")
        text = re.sub(r"<[^>]+>", " ", match.group(2))
        found.append((kind.replace("day-break", "day").replace("notice-card", "notice"), text))
    return found


def test_own_messages_and_the_other_partys_sit_on_their_sides(order, buyer, seller):
    services.send_message(order.conversation, actor=buyer, body="Blue and gold, please.")
    services.send_message(order.conversation, actor=seller, body="Got it.")
    page = client_for(buyer).get(f"/inbox/{order.conversation_id}/").content.decode()
    kinds = [kind for kind, _text in lines(page)]
    assert kinds == ["day", "notice", "mine", "theirs"]
    (_, mine), (_, theirs) = lines(page)[2:]
    assert "You" in mine
    assert "Blue and gold" in mine
    assert seller.display_name in theirs
    assert "Got it." in theirs
    # Initials in the avatars; the seller sees the same conversation mirrored.
    assert '<span class="avatar" aria-hidden="true">BB</span>' in page
    mirrored = client_for(seller).get(f"/inbox/{order.conversation_id}/").content.decode()
    assert [kind for kind, _text in lines(mirrored)] == ["day", "notice", "theirs", "mine"]


def test_days_are_separated_in_the_readers_time_zone(order, buyer, seller):
    accounts_services.update_profile(
        buyer, actor=buyer, display_name=buyer.display_name, timezone="Europe/Berlin", language="en"
    )
    with time_machine.travel(LATE - timedelta(hours=2), tick=False):
        services.send_message(order.conversation, actor=seller, body="evening")
    with time_machine.travel(LATE, tick=False):
        services.send_message(order.conversation, actor=seller, body="after midnight in Berlin")
    with time_machine.travel(LATE + timedelta(hours=10), tick=False):
        berlin = client_for(buyer).get(f"/inbox/{order.conversation_id}/").content.decode()
        utc = client_for(seller).get(f"/inbox/{order.conversation_id}/").content.decode()
    days = [text.strip() for kind, text in lines(berlin) if kind == "day"]
    assert days[-2:] == ["Yesterday", "Today"]  # Dec 3 and Dec 4 in Berlin
    assert "after midnight in Berlin" in berlin.split("Today")[1]
    # In UTC both messages were on Dec 3, yesterday.
    assert [text.strip() for kind, text in lines(utc) if kind == "day"][-1] == "Yesterday"
    assert "evening" in utc.split("Yesterday")[-1]


def test_earlier_messages_come_as_a_fragment_to_insert_above(order, buyer, seller):
    for i in range(55):
        services.post_message(order.conversation, actor=seller, body=f"note {i:02}")
    client = client_for(buyer)
    page = client.get(f"/inbox/{order.conversation_id}/").content.decode()
    earlier = re.search(r'hx-get="([^"]+)"', page.split('id="load-earlier"')[1])
    assert earlier is not None
    link = earlier.group(1)
    fragment = client.get(
        f"/inbox/{order.conversation_id}/" + link.replace("&amp;", "&"), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment
    assert "note 04" in fragment
    assert "note 54" not in fragment
    assert 'id="poller"' not in fragment  # the page already polls
    assert 'class="day-break"' in fragment  # the script keeps the earliest separator of a day


def test_the_poll_adds_a_separator_only_when_a_new_day_starts(order, buyer, seller):
    client = client_for(buyer)
    base = f"/inbox/{order.conversation_id}/new/"
    shown = order.conversation.messages.latest("id").id  # the order's notice
    with time_machine.travel(LATE, tick=False):
        services.send_message(order.conversation, actor=seller, body="same day")
        same_day = client.get(base, {"after": shown, "day": "2026-12-03"}).content.decode()
        next_day = client.get(base, {"after": shown, "day": "2026-12-02"}).content.decode()
    assert "same day" in same_day
    assert 'class="day-break"' not in same_day
    assert 'class="day-break" data-day="2026-12-03"' in next_day
    # The next poll carries on from the last message and its day.
    assert re.search(r"\?after=\d+&amp;day=2026-12-03", same_day)


def test_a_notice_is_a_card_not_a_bubble(order, buyer, seller):
    services.deliver_order(order, actor=seller)
    page = client_for(buyer).get(f"/inbox/{order.conversation_id}/").content.decode()
    notices = [text for kind, text in lines(page) if kind == "notice"]
    assert any("Order delivered" in text for text in notices)
    assert not any("Order delivered" in text for kind, text in lines(page) if kind != "notice")
