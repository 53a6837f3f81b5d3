"""The order list pages by keyset over both of the user's sides (buying and selling), each side
walking its own index; every order once, in order, both ways, ties included."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta

import pytest
import time_machine

from core import clock
from marketplace import services
from tests.clients import as_user, client_for
from tests.factories import UserFactory, make_gig

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(buyer, seller):
    """45 orders of the buyer's, bought and sold alternately, three at a time at one instant
    (ties the keyset breaks by id), newest first as the list must show them."""
    their_gig = make_gig(seller, title="Theirs")
    my_gig = make_gig(buyer, title="Mine")
    other_buyer = UserFactory.create()
    start = clock.now()
    placed = []
    for i in range(45):
        with time_machine.travel(start - timedelta(minutes=i // 3), tick=False):
            if i % 2:
                placed.append(services.place_order(their_gig, actor=buyer, extra_ids=[]))
            else:
                placed.append(services.place_order(my_gig, actor=other_buyer, extra_ids=[]))
    return sorted(placed, key=lambda o: (o.placed_at, str(o.id)), reverse=True)


def walk(client, url, key):
    pages, next_url = [], url
    while next_url:
        body = client.get(next_url).json()
        pages.append([row["id"] for row in body[key]])
        next_url = body["next"]
    return pages, body


def test_the_api_walks_every_order_once_newest_first_and_back(history, buyer):
    client = as_user(buyer)
    pages, last = walk(client, "/api/orders/", "results")
    assert [len(page) for page in pages] == [20, 20, 5]
    assert [i for page in pages for i in page] == [str(o.id) for o in history]
    back: list[list[str]] = []
    previous = last["previous"]
    while previous:
        body = client.get(previous).json()
        back.insert(0, [row["id"] for row in body["results"]])
        previous = body["previous"]
    assert back == pages[:-1]


def test_the_page_walks_the_same_list(history, buyer):
    client = client_for(buyer)
    seen: list[str] = []
    url: str | None = "/orders/"
    while url:
        html = client.get(url).content.decode()
        seen.extend(re.findall(r'href="/orders/([0-9a-f-]{36})/"', html))
        following = re.search(r'rel="next" href="([^"]+)"', html)
        url = "/orders/" + following.group(1).replace("&amp;", "&") if following else None
    assert seen == [str(o.id) for o in history]


def encoded(position: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "%00",
        encoded({"t": "2026-01-01T00:00:00", "k": "x", "b": False}),  # no time zone
        encoded({"t": "2026-01-01T00:00:00+00:00", "k": 5, "b": False}),  # an id that is no id
        encoded({"t": "99999-01-01", "k": "x", "b": False}),
        encoded({"k": "x"}),
        encoded({"t": "2026-01-01T00:00:00+00:00", "k": "not-a-uuid", "b": False}),
        encoded({"t": "2026-01-01T00:00:00+00:00", "k": "not-a-uuid", "b": True}),
    ],
)
def test_a_tampered_cursor_is_404_on_the_page_and_the_api(buyer, cursor):
    api = as_user(buyer).get(f"/api/orders/?cursor={cursor}")
    assert (api.status_code, api.json()["code"]) == (404, "not_found")
    assert client_for(buyer).get(f"/orders/?cursor={cursor}").status_code == 404
