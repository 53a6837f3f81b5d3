"""C-3, C-4: who may start a call, over the boundaries, with machine-readable reasons, and the
seller's own figures for the seller only."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from accounts import services as accounts
from accounts.models import BuyerTier, SellerLevel, Standing
from calls.eligibility import explain, may_start_call, may_start_calls
from core import formatting
from marketplace import services as marketplace
from tests.calls.conftest import sell
from tests.clients import as_user
from tests.factories import UserFactory, make_gig

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture(autouse=True)
def _frozen() -> object:
    """One instant for the whole test: "60 days ago" is exact to the second."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize(("price", "allowed"), [("50.00", True), ("49.99", False)])
def test_the_asp_threshold_is_inclusive(seller, buyer, price, allowed):
    sell(seller, buyer, price=price)
    decision = may_start_call(seller, buyer)
    assert decision.allowed is allowed
    assert decision.codes == ([] if allowed else ["asp_below_threshold"])
    assert decision.figures["eligibility_asp"] == Decimal(price)
    assert decision.figures["threshold"] == Decimal("50.00")


def test_the_asp_is_the_average_of_base_prices_over_completed_orders(seller, buyer):
    sell(seller, buyer, price="40.00")
    sell(seller, buyer, price="60.01")
    sell(seller, buyer, price="500.00", complete=False)  # not completed: not in the average
    decision = may_start_call(seller, buyer)
    assert decision.figures["eligibility_asp"] == Decimal("50.00")  # 100.01 / 2, half-even
    assert decision.allowed


def test_tips_and_extras_do_not_count(seller, buyer):
    sell(seller, buyer, price="40.00", extras={"Express": "30.00"}, tip_cents=5000)
    decision = may_start_call(seller, buyer)
    assert decision.codes == ["asp_below_threshold"]
    assert decision.figures["eligibility_asp"] == Decimal("40.00")
    assert "$40.00" in explain(decision)[0]
    assert "$50.00 is needed" in explain(decision)[0]
    assert "tips and extras don't count" in explain(decision)[0]


@pytest.mark.parametrize(("days", "allowed"), [(60, True), (61, False)])
def test_an_order_within_the_last_60_days_counts(seller, buyer, days, allowed):
    sell(seller, buyer, at=NOW - timedelta(days=days))
    decision = may_start_call(seller, buyer)
    assert decision.allowed is allowed
    assert decision.codes == ([] if allowed else ["no_recent_order"])
    assert decision.figures["last_order_at"] == NOW - timedelta(days=days)
    assert decision.figures["recent_order_until"] == NOW - timedelta(days=days - 60)


def test_a_cancelled_order_is_not_a_recent_order(seller, buyer):
    sell(seller, buyer, at=NOW - timedelta(days=90))
    recent = sell(seller, buyer, complete=False)
    assert may_start_call(seller, buyer).allowed
    marketplace.cancel_order(recent, actor=buyer)
    decision = may_start_call(seller, buyer)
    assert decision.codes == ["no_recent_order"]
    assert decision.figures["last_order_at"] == NOW - timedelta(days=90)


@pytest.mark.parametrize(
    ("level", "allowed"),
    [
        (SellerLevel.NEW, False),
        (SellerLevel.LEVEL_1, True),
        (SellerLevel.LEVEL_2, True),
        (SellerLevel.TOP_RATED, True),
    ],
)
def test_calls_need_a_seller_level(seller, buyer, level, allowed):
    sell(seller, buyer)
    seller = accounts.set_seller_level(seller, level=level, actor=None)
    decision = may_start_call(seller, buyer)
    assert decision.allowed is allowed
    assert decision.codes == ([] if allowed else ["no_level"])


@pytest.mark.parametrize(
    ("tier", "allowed"),
    [(BuyerTier.STANDARD, False), (BuyerTier.PRO, True), (BuyerTier.SELECT, True)],
)
def test_any_seller_may_call_a_pro_or_select_buyer(buyer, tier, allowed):
    newcomer = UserFactory.create()  # no level, no sales: only a gig
    make_gig(newcomer)
    buyer = accounts.set_buyer_tier(buyer, tier=tier, actor=None)
    decision = may_start_call(newcomer, buyer)
    assert decision.allowed is allowed
    if not allowed:
        assert decision.codes == ["no_level", "asp_below_threshold", "no_recent_order"]


def test_every_missing_condition_is_listed_with_its_words(buyer):
    newcomer = UserFactory.create()
    make_gig(newcomer)
    decision = may_start_call(newcomer, buyer)
    lines = explain(decision)
    assert len(lines) == 3
    assert "new seller" in lines[0]
    assert "no completed orders yet" in lines[1]
    assert "within the last 60 days" in lines[2]


def test_the_all_sellers_policy_lets_every_seller_call(settings, buyer):
    settings.CALLS_POLICY = "all_sellers"
    newcomer = UserFactory.create()
    make_gig(newcomer)
    assert may_start_call(newcomer, buyer).allowed
    assert may_start_call(buyer, newcomer).codes == ["not_seller"]  # still sellers only


def test_thresholds_are_settings(settings, seller, buyer):
    sell(seller, buyer, price="30.00", at=NOW - timedelta(days=80))
    assert may_start_call(seller, buyer).codes == ["asp_below_threshold", "no_recent_order"]
    settings.CALLS_MIN_ASP_CENTS = 3000
    settings.CALLS_RECENT_ORDER_DAYS = 90
    assert may_start_call(seller, buyer).allowed


def test_a_buyer_cannot_start_a_call_and_learns_nothing_of_the_seller(seller, buyer):
    sell(seller, buyer)
    decision = may_start_call(buyer, seller)
    assert decision.codes == ["not_seller"]
    assert decision.figures == {}
    assert explain(decision) == ["Only sellers can start a call; the seller can call you."]


def test_a_restricted_seller_may_call_only_the_other_party_of_an_active_order(seller, buyer):
    sell(seller, buyer)
    stranger, other_buyer = UserFactory.create(), UserFactory.create()
    open_order = sell(seller, other_buyer, complete=False)
    accounts.set_standing(seller, standing=Standing.RESTRICTED, actor=None, reason="review")
    assert may_start_call(seller, stranger).codes == ["account_restricted"]
    assert may_start_call(seller, buyer).codes == ["account_restricted"]  # nothing open
    assert may_start_call(seller, other_buyer).allowed  # an active order between them
    marketplace.deliver_order(open_order, actor=seller)
    assert may_start_call(seller, other_buyer).allowed  # delivered is still open
    marketplace.accept_order(open_order, actor=other_buyer)
    assert may_start_call(seller, other_buyer).codes == ["account_restricted"]


def test_a_banned_user_never_calls_nor_is_called(seller, buyer):
    sell(seller, buyer)
    accounts.set_standing(buyer, standing=Standing.BANNED, actor=None, reason="fraud")
    assert may_start_call(seller, buyer).codes == ["callee_unavailable"]
    accounts.set_standing(seller, standing=Standing.BANNED, actor=None, reason="fraud")
    buyer = accounts.set_buyer_tier(buyer, tier=BuyerTier.PRO, actor=None)
    assert may_start_call(seller, buyer).codes == ["account_banned"]


def test_nobody_calls_themselves(seller, buyer):
    sell(seller, buyer)
    assert may_start_call(seller, seller).codes == ["self_call"]


def test_the_answer_costs_at_most_three_queries(seller, buyer, django_assert_max_num_queries):
    sell(seller, buyer)
    sell(seller, buyer, complete=False)
    accounts.set_standing(seller, standing=Standing.RESTRICTED, actor=None, reason="review")
    seller.refresh_from_db()
    with django_assert_max_num_queries(3):
        assert may_start_call(seller, buyer).allowed


# ---------------------------------------------------------------- the API (C-4)
def test_the_api_shows_the_seller_their_own_figures(seller, buyer):
    sell(seller, buyer, price="42.10")
    body = as_user(seller).get(f"/api/calls/eligibility/?with={buyer.pk}").json()
    assert body["allowed"] is False
    assert [reason["code"] for reason in body["reasons"]] == ["asp_below_threshold"]
    assert body["figures"]["eligibility_asp"] == "42.10"
    assert body["figures"]["threshold"] == "50.00"
    assert body["figures"]["recent_order_until"] is not None
    assert (
        "Your average selling price for calls is $42.10; $50.00 is needed"
        in (body["explanation"][0])
    )


def test_the_api_never_shows_the_buyer_the_sellers_figures(seller, buyer):
    sell(seller, buyer, price="42.10")
    response = as_user(buyer).get(f"/api/calls/eligibility/?with={seller.pk}")
    body = response.json()
    assert body == {
        "allowed": False,
        "reasons": [
            {
                "code": "not_seller",
                "message": "Only sellers can start a call; the seller can call you.",
            }
        ],
        "explanation": ["Only sellers can start a call; the seller can call you."],
        "figures": None,
    }
    assert "42.10" not in response.content.decode()


@pytest.mark.parametrize("value", ["", "abc", "0", "-3", "1.5"])
def test_the_api_wants_a_user_id(seller, value):
    response = as_user(seller).get(f"/api/calls/eligibility/?with={value}")
    assert response.status_code == 400
    assert "with" in response.json()["fields"]


def test_the_api_answers_404_for_an_unknown_user(seller):
    assert as_user(seller).get("/api/calls/eligibility/?with=999999").status_code == 404
    assert as_user(None).get("/api/calls/eligibility/?with=1").status_code == 401


# ---------------------------------------------------------------- the words (explain)
def test_a_premium_buyer_is_named_in_the_explanation(buyer):
    newcomer = UserFactory.create()
    make_gig(newcomer)
    buyer = accounts.set_buyer_tier(buyer, tier=BuyerTier.PRO, actor=None)
    decision = may_start_call(newcomer, buyer)
    assert decision.figures["premium_buyer"] is True
    assert decision.figures["now"] == NOW
    assert explain(decision, other=buyer) == [
        "Bea Buyer is a premium buyer: any seller may call them."
    ]


def test_the_all_sellers_policy_says_so_in_words(settings, buyer):
    settings.CALLS_POLICY = "all_sellers"
    newcomer = UserFactory.create()
    make_gig(newcomer)
    assert explain(may_start_call(newcomer, buyer), other=buyer) == [
        "Every seller can start calls."
    ]


def test_an_eligible_seller_is_told_their_last_order_and_until_when(seller, buyer):
    sell(seller, buyer)
    assert explain(may_start_call(seller, buyer), other=buyer) == [
        "You can start calls: your average selling price (base prices only) is $60.00, at "
        f"least $50.00, and your last order on {formatting.day(NOW)} keeps this until "
        f"{formatting.day(NOW + timedelta(days=60))}."
    ]


def test_an_old_last_order_is_named_with_its_day(seller, buyer):
    sell(seller, buyer, at=NOW - timedelta(days=61))
    assert explain(may_start_call(seller, buyer)) == [
        f"Your last order was placed on {formatting.day(NOW - timedelta(days=61))}; calls "
        "need one placed within the last 60 days."
    ]


def test_no_order_at_all_is_said_without_a_day(buyer):
    newcomer = UserFactory.create()
    make_gig(newcomer)
    assert explain(may_start_call(newcomer, buyer)) == [
        "Calls need a seller level (Level 1 or higher); you are a new seller.",
        "You have no completed orders yet; calls need an average selling price of $50.00 "
        "(base prices only \u2014 tips and extras don't count).",
        "Calls need an order placed with you within the last 60 days.",
    ]


def test_may_start_calls_judges_at_the_moment_given(seller, buyer):
    sell(seller, buyer)
    decision = may_start_calls(seller)
    assert decision is not None
    assert decision.allowed
    later = may_start_calls(seller, now=NOW + timedelta(days=61))
    assert later is not None
    assert later.codes == ["no_recent_order"]
    assert later.figures["now"] == NOW + timedelta(days=61)
    assert may_start_calls(buyer) is None  # sells nothing


def test_a_restricted_seller_is_told_why_in_words(seller, buyer):
    sell(seller, buyer)
    accounts.set_standing(seller, standing=Standing.RESTRICTED, actor=None, reason="review")
    assert explain(may_start_call(seller, UserFactory.create())) == [
        "While your account is under review you can only call the other party of an active order."
    ]


def test_a_refusal_with_one_reason_says_that_reason(seller, buyer):
    sell(seller, buyer)
    assert explain(may_start_call(seller, seller)) == ["You cannot call yourself."]
