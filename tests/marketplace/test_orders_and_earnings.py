"""Order lifecycle (K-2), the seller's figures (K-3) and the ledger they move (K-5)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone, translation

from core.errors import DomainError, NotAllowed
from marketplace import selectors, services
from marketplace.errors import InvalidTransition, UnknownExtra
from marketplace.models import Bucket, LedgerEntry, OrderStatus, SellerStats
from marketplace.providers import locmem
from tests.clients import as_user, client_for
from tests.factories import UserFactory, make_gig

pytestmark = pytest.mark.django_db


def extras_of(gig, *names):
    return [e.id for e in gig.extras.all() if e.name in names]


def complete(gig, buyer, *, extras=(), tip=None):
    order = services.place_order(gig, actor=buyer, extra_ids=extras_of(gig, *extras))
    order = services.deliver_order(order, actor=gig.seller)
    if tip:
        order = services.tip_order(order, actor=buyer, amount_cents=tip)
    return services.accept_order(order, actor=buyer)


def test_both_averages_match_hand_computed_values(seller, buyer):
    gig_a = make_gig(seller, price="50.00", extras={"Express": "20.00", "Source files": "15.00"})
    gig_b = make_gig(seller, price="80.00")
    complete(gig_a, buyer, extras=["Express"], tip=1000)  # 50 + 20 + 10 tip = 80
    complete(gig_b, buyer)  # 80
    complete(gig_a, buyer, extras=["Express", "Source files"])  # 50 + 35 = 85
    services.cancel_order(services.place_order(gig_b, actor=buyer, extra_ids=[]), actor=buyer)
    services.place_order(gig_a, actor=buyer, extra_ids=[])  # active: counts for neither

    earnings = selectors.earnings_of(seller)
    assert earnings.completed_orders == 3
    assert earnings.total_earned == Decimal("245.00")
    assert earnings.earnings_asp == Decimal("81.67")  # 245 / 3
    assert earnings.eligibility_asp == Decimal("60.00")  # (50 + 80 + 50) / 3


def test_a_tip_after_completion_counts_for_earnings_but_not_eligibility(completed, buyer, seller):
    services.tip_order(completed, actor=buyer, amount_cents=2500)
    earnings = selectors.earnings_of(seller)
    assert earnings.earnings_asp == Decimal("75.00")
    assert earnings.eligibility_asp == Decimal("50.00")


def test_a_seller_without_completed_orders_has_no_averages(seller):
    earnings = selectors.earnings_of(seller)
    assert (earnings.completed_orders, earnings.earnings_asp, earnings.eligibility_asp) == (
        0,
        None,
        None,
    )


def test_the_last_order_date_ignores_cancelled_orders(gig, buyer, seller):
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        first = services.place_order(gig, actor=buyer, extra_ids=[])
    second = services.place_order(gig, actor=buyer, extra_ids=[])
    assert selectors.earnings_of(seller).last_order_at == second.placed_at
    services.cancel_order(second, actor=seller)
    assert selectors.earnings_of(seller).last_order_at == first.placed_at


def test_the_order_walks_its_lifecycle_with_a_timestamp_for_each_step(gig, buyer, seller):
    order = services.place_order(gig, actor=buyer, extra_ids=extras_of(gig, "Express"))
    assert (order.status, order.base_price_cents, order.extras_cents) == ("active", 5000, 2000)
    assert [e.name for e in order.extras.all()] == ["Express"]
    order = services.deliver_order(order, actor=seller)
    assert order.delivered_at is not None
    order = services.request_revision(order, actor=buyer)
    assert (order.status, order.revisions) == ("active", 1)
    assert order.revision_requested_at is not None
    order = services.deliver_order(order, actor=seller)
    order = services.accept_order(order, actor=buyer)
    assert order.status == OrderStatus.COMPLETED
    assert order.completed_at
    assert order.delivered_at
    assert order.completed_at >= order.delivered_at >= order.placed_at


@pytest.mark.parametrize(
    ("step", "who"),
    [
        ("accept_order", "buyer"),  # not delivered yet
        ("request_revision", "buyer"),
    ],
)
def test_invalid_transitions_are_refused_and_change_nothing(order, buyer, step, who):
    with pytest.raises(InvalidTransition):
        getattr(services, step)(order, actor=buyer)
    order.refresh_from_db()
    assert order.status == "active"
    assert not LedgerEntry.objects.filter(bucket=Bucket.PENDING).exists()


def test_only_the_seller_delivers_and_only_the_buyer_accepts(order, buyer, seller):
    with pytest.raises(NotAllowed):
        services.deliver_order(order, actor=buyer)
    services.deliver_order(order, actor=seller)
    with pytest.raises(NotAllowed):
        services.accept_order(order, actor=seller)


def test_an_outsider_cannot_act_on_an_order(order):
    with pytest.raises(NotAllowed) as error:
        services.cancel_order(order, actor=UserFactory.create())
    assert error.value.code == "not_a_party"


def test_an_extra_of_another_gig_is_refused_and_nothing_is_charged(gig, buyer, seller):
    other = make_gig(seller, extras={"Other": "5.00"})
    with pytest.raises(UnknownExtra):
        services.place_order(gig, actor=buyer, extra_ids=extras_of(other, "Other"))
    assert locmem.state.calls == []
    assert not gig.orders.exists()


def test_an_extra_chosen_twice_is_refused_everywhere_and_nothing_is_charged(gig, buyer):
    twice = extras_of(gig, "Express") * 2
    with pytest.raises(DomainError) as refused:
        services.place_order(gig, actor=buyer, extra_ids=twice)
    assert (refused.value.code, refused.value.status_code) == ("duplicate_extra", 400)
    api = as_user(buyer).post("/api/orders/", {"gig": gig.pk, "extras": twice}, format="json")
    assert api.status_code == 400
    assert api.json()["fields"]["extras"] == ["Each extra can be chosen only once."]
    page = client_for(buyer).post(f"/gigs/{gig.pk}/", {"extras": twice}, follow=True)
    assert "Each extra can be chosen only once." in page.content.decode()
    assert locmem.state.calls == []
    assert not gig.orders.exists()


def test_cancelling_refunds_the_buyer_as_credit_which_pays_the_next_order(gig, buyer, seller):
    order = services.place_order(gig, actor=buyer, extra_ids=extras_of(gig, "Express"))
    services.cancel_order(order, actor=buyer)
    assert selectors.balances(buyer).credit_cents == 7000

    services.place_order(gig, actor=buyer, extra_ids=[])  # 50.00, all from credit
    assert selectors.balances(buyer).credit_cents == 2000
    assert [c[0] for c in locmem.state.calls] == ["charge"]  # only the first order hit the card


def test_completion_books_a_pending_earning_that_clears_after_the_period(completed, seller):
    assert selectors.balances(seller) == selectors.Balances(5000, 0, 0)
    assert services.clear_pending_earnings() == 0
    later = timezone.now() + timedelta(days=14, minutes=1)
    assert services.clear_pending_earnings(now=later) == 1
    assert services.clear_pending_earnings(now=later) == 0  # idempotent
    assert selectors.balances(seller) == selectors.Balances(0, 5000, 0)


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "Enter a tip between $0.01 and $1,000.00."), ("de", "0,01\xa0$ und 1.000,00\xa0$")],
)
def test_a_tip_out_of_range_names_the_limits_in_the_readers_money(delivered, buyer, language, said):
    with translation.override(language), pytest.raises(DomainError) as refused:
        services.tip_order(delivered, actor=buyer, amount_cents=100_001)
    assert refused.value.code == "invalid_amount"
    assert said in refused.value.detail
    # The API and the order page say the same, in the reader's language.
    api = as_user(buyer).post(
        f"/api/orders/{delivered.id}/tip/",
        {"amount": "5000.00"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert said in api.json()["fields"]["amount"][0]
    client = client_for(buyer)
    client.cookies["django_language"] = language
    page = client.post(f"/orders/{delivered.id}/tip/", {"amount": "0"}, follow=True)
    assert said in page.content.decode()


def test_a_tip_is_one_per_order_and_only_after_delivery(order, buyer, seller):
    with pytest.raises(InvalidTransition):
        services.tip_order(order, actor=buyer, amount_cents=500)
    delivered = services.deliver_order(order, actor=seller)
    services.tip_order(delivered, actor=buyer, amount_cents=500)
    delivered.refresh_from_db()
    with pytest.raises(DomainError) as again:
        services.tip_order(delivered, actor=buyer, amount_cents=500)
    # Said as what it is, not as "not in a state that allows this".
    assert (again.value.code, again.value.status_code) == ("already_tipped", 409)
    assert "already tipped" in again.value.detail
    assert delivered.tip_cents == 500
    page = client_for(buyer).post(f"/orders/{order.id}/tip/", {"amount": "5"}, follow=True)
    assert "already tipped this order" in page.content.decode()


def test_reconcile_repairs_drifted_figures_and_reports_them(completed, seller, capsys):
    SellerStats.objects.filter(seller=seller).update(completed_orders=7, completed_base_cents=1)
    call_command("runjob", "reconcile_seller_stats")
    assert "checked 1 sellers, repaired 1" in capsys.readouterr().out
    stats = SellerStats.objects.get(seller=seller)
    assert (stats.completed_orders, stats.completed_base_cents) == (1, 5000)
    call_command("runjob", "reconcile_seller_stats")
    assert "repaired 0" in capsys.readouterr().out
