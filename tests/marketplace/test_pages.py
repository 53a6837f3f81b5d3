"""The marketplace pages: access matrix, the inbox's polling, earnings, forms and their errors."""

from __future__ import annotations

import re
import uuid

import pytest

from marketplace import services
from marketplace.models import Order, Withdrawal
from tests.clients import client_for, count_queries
from tests.factories import grow_marketplace, make_available_funds, make_gig

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [("buyer", 200), ("seller", 200), ("outsider", 404), ("support_agent", 404), (None, 302)],
)
@pytest.mark.parametrize(
    "path", ["/orders/{order}/", "/inbox/{conversation}/", "/inbox/{conversation}/new/"]
)
def test_page_access_matrix(cast, order, role, expected, path):
    url = path.format(order=order.id, conversation=order.conversation_id)
    response = client_for(cast[role]).get(url)
    assert response.status_code == expected
    if role is None:
        assert response.url.startswith("/accounts/login/")


def test_a_buyer_orders_with_an_extra_from_the_gig_page(gig, buyer):
    extra = gig.extras.get(name="Express")
    response = client_for(buyer).post(f"/gigs/{gig.id}/", {"extras": [str(extra.id)]})
    order = Order.objects.get()
    assert response.url == f"/orders/{order.id}/"
    assert order.extras_cents == 2000


def test_the_gig_page_says_why_a_restricted_buyer_cannot_order(gig, buyer):
    from accounts import services as accounts_services
    from accounts.models import Standing

    accounts_services.set_standing(buyer, standing=Standing.RESTRICTED, actor=None, reason="r")
    page = client_for(buyer).get(f"/gigs/{gig.id}/").content.decode()
    assert "restricted" in page
    assert "Order now" not in page


def test_new_messages_arrive_through_the_poll_and_are_escaped(order, buyer, seller):
    seller_client = client_for(seller)
    page = seller_client.get(f"/inbox/{order.conversation_id}/").content.decode()
    poller = re.search(r"\?after=(\d+)", page)
    assert poller is not None
    last_id = int(poller.group(1))
    services.send_message(order.conversation, actor=buyer, body="<b>hello</b>")
    poll = seller_client.get(
        f"/inbox/{order.conversation_id}/new/?after={last_id}"
    ).content.decode()
    assert "&lt;b&gt;hello&lt;/b&gt;" in poll
    assert "<b>hello</b>" not in poll


def test_the_composer_shows_a_clear_message_when_over_the_rate_limit(order, buyer, settings):
    settings.MESSAGE_RATE_LIMIT = 1
    client = client_for(buyer)
    client.post(f"/inbox/{order.conversation_id}/", {"body": "one"})
    response = client.post(f"/inbox/{order.conversation_id}/", {"body": "two"})
    # The page, with the words kept in the composer, as a 429 that says when to try again.
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert "too often" in page
    assert "two</textarea>" in page
    assert not order.conversation.messages.filter(body="two").exists()


def test_the_earnings_page_shows_both_averages_and_why_they_differ(completed, buyer, seller):
    services.tip_order(completed, actor=buyer, amount_cents=1000)
    page = client_for(seller).get("/earnings/").content.decode()
    assert '<dd data-testid="earnings-asp">$60.00</dd>' in page
    assert '<dd data-testid="eligibility-asp">$50.00</dd>' in page
    assert "counts the base price only" in page


def test_a_system_notice_is_shown_in_the_viewers_language(order, buyer):
    client = client_for(buyer)
    client.cookies["django_language"] = "de"
    page = client.get(f"/inbox/{order.conversation_id}/").content.decode()
    assert "Auftrag aufgegeben" in page


def test_an_over_limit_withdrawal_shows_what_is_wrong(seller):
    response = client_for(seller).post(
        "/wallet/", {"amount": "10.00", "idempotency_key": str(uuid.uuid4())}, follow=True
    )
    assert "more than your available balance" in response.content.decode()


@pytest.mark.parametrize("key", ["k", "", "x" * 500])
def test_a_tampered_withdrawal_key_is_said_and_replaced_with_a_fresh_one(seller, key):
    make_available_funds(seller, 5000)
    client = client_for(seller)
    page = client.post("/wallet/", {"amount": "10.00", "idempotency_key": key}).content.decode()
    assert "This form was changed or has expired, so nothing was withdrawn." in page
    assert not Withdrawal.objects.exists()
    fresh = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert fresh is not None
    assert str(uuid.UUID(fresh.group(1))) == fresh.group(1)
    assert 'value="10.00"' in page  # the amount is kept
    again = client.post("/wallet/", {"amount": "10.00", "idempotency_key": fresh.group(1)})
    assert again.status_code == 302
    assert Withdrawal.objects.get().amount_cents == 1000


PERSONAL_PAGES = ["/gigs/mine/", "/gigs/new/", "/orders/", "/inbox/", "/earnings/", "/wallet/"]


@pytest.mark.parametrize("url", ["/gigs/", *PERSONAL_PAGES])
def test_list_pages_render_for_a_logged_in_user(order, buyer, url):
    assert client_for(buyer).get(url).status_code == 200


@pytest.mark.parametrize("url", PERSONAL_PAGES)
def test_personal_pages_send_a_visitor_to_log_in(url):
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def next_link(page: str) -> str:
    return page.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")


def test_the_order_list_is_paged_newest_first(gig, buyer):
    orders = [services.place_order(gig, actor=buyer, extra_ids=[]) for _ in range(22)]
    client = client_for(buyer)
    first = client.get("/orders/").content.decode()
    second = client.get("/orders/" + next_link(first)).content.decode()
    assert first.count("/orders/") - second.count("/orders/") > 0
    assert f"/orders/{orders[-1].id}/" in first
    assert f"/orders/{orders[0].id}/" in second
    assert f"/orders/{orders[0].id}/" not in first
    assert 'rel="next"' not in second


def test_the_conversation_shows_the_latest_messages_and_pages_back(order, buyer, seller):
    for i in range(55):
        services.post_message(order.conversation, actor=seller, body=f"note {i:02}")
    client = client_for(buyer)
    latest = client.get(f"/inbox/{order.conversation_id}/").content.decode()
    assert "note 54" in latest
    assert "note 04" not in latest
    assert 'id="poller"' in latest
    earlier = client.get(f"/inbox/{order.conversation_id}/" + next_link(latest)).content.decode()
    assert "note 04" in earlier
    assert "note 54" not in earlier
    # An older page does not poll (new messages would not follow on from it); it links forward.
    assert 'id="poller"' not in earlier
    assert "Later messages" in earlier
    assert latest.index("note 05") < latest.index("note 54")


def test_a_conversation_without_messages_sorts_by_when_it_was_started(order, buyer, outsider):
    from marketplace.services import inbox

    empty, _ = inbox.start_conversation(actor=buyer, other=outsider)
    page = client_for(buyer).get("/inbox/").content.decode()
    assert page.index(f"/inbox/{empty.id}/") < page.index(f"/inbox/{order.conversation_id}/")
    services.send_message(order.conversation, actor=buyer, body="still there?")
    page = client_for(buyer).get("/inbox/").content.decode()
    assert page.index(f"/inbox/{order.conversation_id}/") < page.index(f"/inbox/{empty.id}/")


# Every page pays 3 for its frame (the session, the user, the unread-notice count); the rest is
# the page's own: one query for its rows with what they show joined in, and no query per row.
@pytest.mark.parametrize(
    ("url", "viewer", "queries"),
    [
        ("/gigs/", "buyer", 5),
        ("/gigs/mine/", "seller", 5),
        ("/orders/", "buyer", 6),
        ("/inbox/", "buyer", 4),
        # + the call button (calls): is the reader a seller, is a call open.
        ("/inbox/{conversation}/", "buyer", 7),
    ],
)
def test_page_query_counts_stay_constant_as_data_grows(buyer, seller, url, viewer, queries):
    gig = make_gig(seller, extras={"A": "1.00"})
    order = services.place_order(gig, actor=buyer, extra_ids=[gig.extras.get().id])
    url = url.format(conversation=order.conversation_id)
    client = client_for({"buyer": buyer, "seller": seller}[viewer])
    client.get(url)  # warm up (mark-read, sessions)
    assert count_queries(client, url) == queries
    grow_marketplace(buyer=buyer, seller=seller, conversation=order.conversation)
    client.get(url)
    assert count_queries(client, url) == queries


def test_the_order_list_narrows_to_buying_or_selling(gig, buyer, seller):
    bought = services.place_order(gig, actor=buyer, extra_ids=[])
    own = make_gig(buyer, title="Proofreading")
    sold = services.place_order(own, actor=seller, extra_ids=[])
    client = client_for(buyer)
    everything = client.get("/orders/").content.decode()
    buying = client.get("/orders/?role=buying").content.decode()
    selling = client.get("/orders/?role=selling").content.decode()
    assert f"/orders/{bought.id}/" in everything
    assert f"/orders/{sold.id}/" in everything
    assert f"/orders/{bought.id}/" in buying
    assert f"/orders/{sold.id}/" not in buying
    assert f"/orders/{sold.id}/" in selling
    assert f"/orders/{bought.id}/" not in selling
    # Paging keeps the tab: the next link carries role=selling along.
    for _ in range(20):
        services.place_order(own, actor=seller, extra_ids=[])
    page = client.get("/orders/?role=selling").content.decode()
    assert "role=selling" in next_link(page)


def test_a_search_with_a_nul_character_is_not_an_error(gig):
    response = client_for(None).get("/gigs/?q=Logo%00")
    assert response.status_code == 200
    assert "Logo design" in response.content.decode()


def test_notices_written_before_titles_travelled_in_the_payload_get_them(order, buyer):
    import importlib

    from django.apps import apps

    from marketplace.models import Message

    notice = Message.objects.get(kind="system", order=order)
    Message.objects.filter(pk=notice.pk).update(payload={"event": "order_placed"})
    migration = importlib.import_module(
        "marketplace.migrations.0005_notice_titles_and_activity_default"
    )
    migration.add_titles(apps, None)
    notice.refresh_from_db()
    assert notice.payload == {"event": "order_placed", "title": order.title}
    client = client_for(buyer)
    client.cookies["django_language"] = "de"
    assert "Auftrag aufgegeben: Logo design" in client.get("/inbox/").content.decode()
