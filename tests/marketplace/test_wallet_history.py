"""The wallet's history: withdrawals with their status, and every movement of the user's money
explained in words, on the wallet page and in the API (`GET /api/wallet/withdrawals/`,
`GET /api/wallet/entries/`), newest first, keyset-paged, only one's own, at a pinned cost."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts import services as accounts_services
from marketplace import services
from tests.clients import as_user, client_for, count_queries
from tests.factories import make_available_funds, make_gig

pytestmark = pytest.mark.django_db


def sell(seller, buyer, title="Logo", price="60.00"):
    """An order placed, delivered and accepted: the buyer paid, the seller earned."""
    order = services.place_order(
        make_gig(seller, title=title, price=price), actor=buyer, extra_ids=[]
    )
    return services.accept_order(services.deliver_order(order, actor=seller), actor=buyer)


def test_the_api_explains_every_movement_newest_first(seller, buyer):
    make_available_funds(seller, 5000)
    services.withdraw_funds(actor=seller, amount_cents=2000, idempotency_key="w1")
    sell(seller, buyer, title="Poster")
    rows = as_user(seller).get("/api/wallet/entries/").json()["results"]
    said = [(row["kind"], row["balance"], row["amount"]) for row in rows]
    assert said[:4] == [
        ("earning", "pending", "60.00"),
        ("withdrawal", "available", "-20.00"),
        ("clearing", "available", "50.00"),
        ("clearing", "pending", "-50.00"),
    ]
    assert rows[0]["explanation"].startswith("Earning from “Poster” · available from ")
    assert rows[1]["explanation"] == "Withdrawal to your bank account"
    assert rows[2]["explanation"] == "“Funds” cleared: now available to withdraw"
    # The buyer's side of the same order: paid by card.
    paid = as_user(buyer).get("/api/wallet/entries/").json()["results"]
    assert [(r["kind"], r["amount"], r["explanation"]) for r in paid] == [
        ("payment", "-60.00", "Paid by card for “Poster”")
    ]


def test_withdrawals_are_listed_with_their_status_and_only_ones_own(seller, outsider):
    make_available_funds(seller, 5000)
    first, _ = services.withdraw_funds(actor=seller, amount_cents=1000, idempotency_key="a")
    second, _ = services.withdraw_funds(actor=seller, amount_cents=2000, idempotency_key="b")
    rows = as_user(seller).get("/api/wallet/withdrawals/").json()["results"]
    assert [(r["id"], r["amount"]) for r in rows] == [
        (str(second.id), "20.00"),
        (str(first.id), "10.00"),
    ]
    assert {(r["status"], r["explanation"]) for r in rows} <= {
        ("requested", "On its way: the payout is being sent to your bank."),
        ("paid", "Paid out to your bank account."),
    }
    assert as_user(outsider).get("/api/wallet/withdrawals/").json()["results"] == []
    assert as_user(outsider).get("/api/wallet/entries/").json()["results"] == []
    assert as_user(None).get("/api/wallet/entries/").status_code == 401


def test_the_history_pages_by_keyset(seller, buyer):
    for i in range(27):  # one entry each for the seller: the pending earning
        sell(seller, buyer, title=f"Gig {i:02}", price="10.00")
    client = as_user(seller)
    first = client.get("/api/wallet/entries/").json()
    assert len(first["results"]) == 25
    assert first["next"] is not None
    seen = [row["id"] for row in first["results"]]
    link = first["next"]
    while link:
        page = client.get(link).json()
        seen += [row["id"] for row in page["results"]]
        link = page["next"]
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) == 27


def test_the_wallet_page_shows_withdrawals_and_movements_in_the_readers_language(seller):
    accounts_services.update_profile(
        seller, actor=seller, display_name="Sol", timezone="Europe/Berlin", language="de"
    )
    make_available_funds(seller, 5000)
    services.withdraw_funds(actor=seller, amount_cents=2000, idempotency_key="w")
    page = client_for(seller).get("/wallet/").content.decode()
    assert "Auszahlung auf dein Bankkonto" in page
    assert "Unterwegs: die Auszahlung wird an deine Bank gesendet." in page
    assert "-20,00\xa0$" in page
    assert "+50,00\xa0$" in page
    assert 'class="badge status-' in page
    with translation.override("en"):
        english = client_for(seller).get("/wallet/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200


def test_the_history_costs_the_same_for_many_movements(seller, buyer):
    make_available_funds(seller, 5000)
    services.withdraw_funds(actor=seller, amount_cents=1000, idempotency_key="one")
    client, api = client_for(seller), as_user(seller)
    urls = ["/api/wallet/entries/", "/api/wallet/withdrawals/"]
    few = (count_queries(client, "/wallet/"), *(count_queries(api, url) for url in urls))
    for i in range(8):
        sell(seller, buyer, title=f"More {i}", price="10.00")
        services.withdraw_funds(actor=seller, amount_cents=100, idempotency_key=f"more {i}")
    many = (count_queries(client, "/wallet/"), *(count_queries(api, url) for url in urls))
    # The page: its frame (3), the balances, the two lists; the API lists: one query each.
    assert few == many == (6, 1, 1)
