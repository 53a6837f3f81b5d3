"""One rule for every paged list, pages and API alike: no cursor (or an empty one) is the first
page, a cursor we issued is its page, and anything else is a 404 — never a silent first page."""

from __future__ import annotations

import base64

import pytest

from marketplace import services
from tests.clients import as_user, client_for
from tests.factories import make_gig

pytestmark = pytest.mark.django_db

BAD_CURSORS = [
    "%00",  # decodes to nothing in DRF's lenient base64
    "%25%25%25",  # "%%%"
    "garbage",
    "%FF%FE",
    base64.b64encode(b"a").decode(),  # base64, but no position in it
    base64.b64encode(b"x=1").decode(),  # a key no cursor has
    "e30=%00",  # a valid cursor with a character the alphabet lacks
]


@pytest.fixture
def lists(buyer, seller):
    """Every paged list a buyer or seller reads, each with something on it."""
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    return [
        (client_for(buyer), "/gigs/"),
        (client_for(seller), "/gigs/mine/"),
        (client_for(buyer), "/orders/"),
        (client_for(buyer), "/inbox/"),
        (client_for(buyer), f"/inbox/{order.conversation_id}/"),
        (client_for(seller), "/notifications/"),
        (as_user(buyer), "/api/gigs/"),
        (as_user(buyer), "/api/orders/"),
        (as_user(buyer), "/api/conversations/"),
        (as_user(buyer), f"/api/conversations/{order.conversation_id}/messages/"),
        (as_user(seller), "/api/notifications/"),
        (as_user(seller), "/api/wallet/withdrawals/"),
        (as_user(seller), "/api/wallet/entries/"),
    ]


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_every_bad_cursor_is_a_404_on_every_list(lists, seller, cursor):
    for client, url in lists:
        response = client.get(f"{url}?cursor={cursor}")
        assert response.status_code == 404, (url, cursor)
    # The wallet page pages its two lists with a parameter each.
    for parameter in ("withdrawals", "entries"):
        response = client_for(seller).get(f"/wallet/?{parameter}={cursor}")
        assert response.status_code == 404, (parameter, cursor)


def test_no_cursor_and_an_empty_one_are_the_first_page(lists):
    for client, url in lists:
        first = client.get(url)
        empty = client.get(f"{url}?cursor=")
        assert (first.status_code, empty.status_code) == (200, 200), url
        if url.startswith("/api/"):
            assert empty.json()["results"] == first.json()["results"], url
