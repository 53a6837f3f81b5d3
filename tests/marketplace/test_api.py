"""The marketplace API: the access matrix, bad input, idempotent and concurrent withdrawals,
the message rate limit and pinned query counts."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace import selectors, services
from marketplace.models import LedgerEntry, Order, Withdrawal
from marketplace.providers import ProviderError, locmem
from tests.clients import as_user, count_queries
from tests.concurrency import at_once, race
from tests.factories import UserFactory, grow_marketplace, make_available_funds, make_gig

pytestmark = pytest.mark.django_db


ROLES = ["buyer", "seller", "outsider", "support_agent", None]


# Owner and counterpart see the object; outsiders and support agents (whose tool is the admin)
# get 404 and learn nothing; anonymous callers get 401.
@pytest.mark.parametrize(
    ("role", "expected"),
    [("buyer", 200), ("seller", 200), ("outsider", 404), ("support_agent", 404), (None, 401)],
)
@pytest.mark.parametrize(
    "path",
    [
        "/api/orders/{order}/",
        "/api/conversations/{conversation}/",
        "/api/conversations/{conversation}/messages/",
    ],
)
def test_access_matrix_for_private_objects(cast, order, role, expected, path):
    url = path.format(order=order.id, conversation=order.conversation_id)
    assert as_user(cast[role]).get(url).status_code == expected


@pytest.mark.parametrize(
    ("role", "action", "expected"),
    [
        ("seller", "deliver", 200),
        ("buyer", "deliver", 403),
        ("outsider", "deliver", 404),
        ("support_agent", "cancel", 404),
        (None, "cancel", 401),
        ("buyer", "accept", 409),
        ("buyer", "cancel", 200),
    ],
)
def test_order_actions_by_role(cast, order, role, action, expected):
    response = as_user(cast[role]).post(f"/api/orders/{order.id}/{action}/")
    assert response.status_code == expected, response.json()
    if expected != 200:
        assert "code" in response.json()


def test_a_gate_refusal_names_its_rule(order, buyer, seller):
    from accounts import services as accounts_services
    from accounts.models import Standing

    accounts_services.set_standing(buyer, standing=Standing.RESTRICTED, actor=None, reason="r")
    gig = make_gig(seller, title="Another")
    response = as_user(buyer).post("/api/orders/", {"gig": gig.id}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "account_restricted"


def test_ordering_through_the_api_with_an_extra(gig, buyer):
    extra = gig.extras.get(name="Express")
    response = as_user(buyer).post(
        "/api/orders/", {"gig": gig.id, "extras": [extra.id]}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["base_price"], body["extras_total"], body["total"]) == ("50.00", "20.00", "70.00")
    assert body["extras"] == [{"name": "Express", "price": "20.00"}]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"gig": "abc"},
        {"gig": -1},
        {"gig": 10**30},
        {"gig": 1, "extras": "x"},
        {"gig": 1, "extras": [None]},
    ],
)
def test_bad_order_input_is_a_400_and_writes_nothing(buyer, payload):
    response = as_user(buyer).post("/api/orders/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not Order.objects.exists()


def test_ordering_an_unknown_gig_is_a_404(buyer):
    response = as_user(buyer).post("/api/orders/", {"gig": 999999}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("amount", ["-1", "0", "abc", "100000000", "1.001"])
def test_bad_tips_are_refused_and_nothing_is_charged(delivered, buyer, amount):
    calls = len(locmem.state.calls)
    response = as_user(buyer).post(
        f"/api/orders/{delivered.id}/tip/", {"amount": amount}, format="json"
    )
    assert response.status_code == 400
    assert len(locmem.state.calls) == calls


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "", "description": "d", "base_price": "10"},
        {"title": "t", "description": "d", "base_price": "-5"},
        {"title": "t", "description": "d", "base_price": "99999999"},
        {"title": "t" * 121, "description": "d", "base_price": "10"},
        {"title": "t", "description": "d", "base_price": "10", "extras": [{"name": "x"}]},
    ],
)
def test_bad_gig_input_is_a_400(seller, payload):
    response = as_user(seller).post("/api/gigs/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]


def test_only_the_owner_edits_a_gig(gig, seller, buyer):
    assert (
        as_user(buyer).patch(f"/api/gigs/{gig.id}/", {"title": "Mine"}, format="json").status_code
        == 403
    )
    response = as_user(seller).patch(f"/api/gigs/{gig.id}/", {"status": "paused"}, format="json")
    assert response.json()["status"] == "paused"
    assert as_user(buyer).get(f"/api/gigs/{gig.id}/").status_code == 404


def test_starting_a_conversation_returns_the_existing_one(buyer, seller):
    first = as_user(buyer).post("/api/conversations/", {"with": seller.id}, format="json")
    again = as_user(seller).post("/api/conversations/", {"with": buyer.id}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


@pytest.mark.parametrize("body", [123, 1.5, True, ["hi"], {"text": "hi"}, None])
def test_a_message_body_must_be_a_string(order, buyer, body):
    url = f"/api/conversations/{order.conversation_id}/messages/"
    count = order.conversation.messages.count()
    response = as_user(buyer).post(url, {"body": body}, format="json")
    assert response.status_code == 400
    assert "body" in response.json()["fields"]
    assert order.conversation.messages.count() == count


def test_messages_are_stored_as_text_and_length_limited(order, buyer):
    url = f"/api/conversations/{order.conversation_id}/messages/"
    body = "<script>alert(1)</script>"
    assert as_user(buyer).post(url, {"body": body}, format="json").json()["body"] == body
    response = as_user(buyer).post(url, {"body": "x" * 2001}, format="json")
    assert response.status_code == 400


def test_a_burst_over_the_message_limit_gets_429(order, buyer, settings):
    settings.MESSAGE_RATE_LIMIT = 3
    url = f"/api/conversations/{order.conversation_id}/messages/"
    statuses = [
        as_user(buyer).post(url, {"body": f"m{i}"}, format="json").status_code for i in range(5)
    ]
    assert statuses == [201, 201, 201, 429, 429]
    response = as_user(buyer).post(url, {"body": "again"}, format="json")
    assert response.json()["code"] == "rate_limited"


# ---------------------------------------------------------------- wallet
available = make_available_funds


def test_a_withdrawal_pays_out_once_however_often_it_is_retried(
    seller, django_capture_on_commit_callbacks
):
    available(seller, 10000)
    client = as_user(seller)
    payload = {"amount": "60.00", "idempotency_key": "withdraw-1"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/api/wallet/withdrawals/", payload, format="json")
    retry = client.post("/api/wallet/withdrawals/", payload, format="json")
    services.pay_out_withdrawal(first.json()["id"])  # a second run of the job pays nothing more
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json()["id"] == retry.json()["id"]
    assert retry.json()["status"] == "paid"
    assert [c for c in locmem.state.calls if c[0] == "payout"] == [
        ("payout", f"withdrawal:{first.json()['id']}", 6000)
    ]
    assert client.get("/api/wallet/").json() == {
        "pending": "0.00",
        "available": "40.00",
        "credits": "0.00",
    }


def test_reusing_a_key_for_another_amount_is_a_409(seller):
    available(seller, 10000)
    client = as_user(seller)
    client.post(
        "/api/wallet/withdrawals/", {"amount": "10.00", "idempotency_key": "k"}, format="json"
    )
    response = client.post(
        "/api/wallet/withdrawals/", {"amount": "20.00", "idempotency_key": "k"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "idempotency_key_reused")


@pytest.mark.parametrize("amount", ["100.01", "0", "-5", "abc", "1e9"])
def test_over_limit_or_invalid_withdrawals_are_refused_and_the_ledger_is_untouched(seller, amount):
    available(seller, 10000)
    before = LedgerEntry.objects.count()
    response = as_user(seller).post(
        "/api/wallet/withdrawals/",
        {"amount": amount, "idempotency_key": str(uuid.uuid4())},
        format="json",
    )
    assert response.status_code in (400, 409)
    assert LedgerEntry.objects.count() == before
    assert not Withdrawal.objects.exists()


def test_a_refused_payout_returns_the_money(seller, django_capture_on_commit_callbacks):
    available(seller, 5000)
    locmem.state.fail_next = ProviderError("account closed", retryable=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(seller).post(
            "/api/wallet/withdrawals/", {"amount": "50.00", "idempotency_key": "x"}, format="json"
        )
    assert Withdrawal.objects.get(pk=response.json()["id"]).status == "failed"
    assert selectors.balances(seller).available_cents == 5000


@race
def test_two_simultaneous_withdrawals_of_the_whole_balance_exactly_one_succeeds():
    seller = UserFactory.create()
    available(seller, 10000)

    def withdraw(key: str) -> Callable[[], int]:
        client = as_user(seller)
        body = {"amount": "100.00", "idempotency_key": key}
        return lambda: client.post("/api/wallet/withdrawals/", body, format="json").status_code

    assert sorted(at_once(withdraw("k0"), withdraw("k1"))) == [201, 409]
    assert Withdrawal.objects.count() == 1
    assert selectors.balances(seller).available_cents == 0


# ---------------------------------------------------------------- query counts
# force_authenticate skips the token lookup: these are the lists' own queries, whatever the
# page holds (the gig list adds its extras, the order list the extras' rows).
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/gigs/", 2),
        ("/api/orders/", 3),
        ("/api/conversations/", 1),
        ("/api/conversations/{conversation}/messages/", 1),
    ],
)
def test_list_query_counts_stay_constant_as_data_grows(buyer, seller, url, queries):
    gig = make_gig(seller, extras={"A": "1.00"})
    order = services.place_order(gig, actor=buyer, extra_ids=[gig.extras.get().id])
    url = url.format(conversation=order.conversation_id)
    client = as_user(buyer)
    client.get(url)  # warm up (mark-read, sessions)
    assert count_queries(client, url) == queries
    grow_marketplace(buyer=buyer, seller=seller, conversation=order.conversation)
    client.get(url)
    assert count_queries(client, url) == queries


def test_the_order_list_narrows_to_buying_or_selling(gig, buyer, seller):
    bought = services.place_order(gig, actor=buyer, extra_ids=[])
    sold = services.place_order(make_gig(buyer, title="Proofreading"), actor=seller, extra_ids=[])
    client = as_user(buyer)

    def ids(query):
        response = client.get(f"/api/orders/{query}")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids("") == {str(bought.id), str(sold.id)}
    assert ids("?role=buying") == {str(bought.id)}
    assert ids("?role=selling") == {str(sold.id)}
    response = client.get("/api/orders/?role=everyone")
    assert response.status_code == 400
    assert "role" in response.json()["fields"]


def test_a_429_says_when_to_try_again(order, buyer, settings):
    settings.MESSAGE_RATE_LIMIT = 1
    settings.MESSAGE_RATE_WINDOW_SECONDS = 60
    url = f"/api/conversations/{order.conversation_id}/messages/"
    as_user(buyer).post(url, {"body": "one"}, format="json")
    response = as_user(buyer).post(url, {"body": "two"}, format="json")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_message_list_is_one_query_and_still_404_for_outsiders(order, buyer, outsider):
    url = f"/api/conversations/{order.conversation_id}/messages/"
    client = as_user(buyer)
    client.get(url)  # marks the order notice read
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) == 1  # messages joined to their conversation (force_authenticate)
    assert as_user(outsider).get(url).status_code == 404


def test_an_empty_conversation_lists_nothing_for_its_participants(buyer, seller, outsider):
    conversation, _ = services.start_conversation(actor=buyer, other=seller)
    url = f"/api/conversations/{conversation.id}/messages/"
    assert as_user(seller).get(url).json()["results"] == []
    assert as_user(outsider).get(url).status_code == 404


def test_the_message_list_pages_oldest_first_both_ways(order, buyer, seller):
    for i in range(110):
        services.post_message(order.conversation, actor=seller, body=f"m{i}")
    client = as_user(buyer)
    url = f"/api/conversations/{order.conversation_id}/messages/"
    pages, link = [], url
    while link:
        body = client.get(link).json()
        pages.append([row["body"] for row in body["results"]])
        link, last = body["next"], body
    assert [len(page) for page in pages] == [50, 50, 11]
    bodies = [body for page in pages for body in page]
    assert bodies[1:] == [f"m{i}" for i in range(110)]  # after the order notice
    back = client.get(last["previous"]).json()
    assert [row["body"] for row in back["results"]] == pages[1]


@pytest.mark.parametrize(
    "position", [{"i": "1"}, {"i": True}, {"i": -1}, {"i": 2**64}, ["i"], {"b": True}]
)
def test_a_forged_message_cursor_is_404(order, buyer, position):
    cursor = base64.urlsafe_b64encode(json.dumps(position).encode()).decode()
    url = f"/api/conversations/{order.conversation_id}/messages/?cursor={cursor}"
    assert as_user(buyer).get(url).status_code == 404
