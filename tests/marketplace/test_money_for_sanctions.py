"""The money a sanction moves (M-7), as services ready for the sanctions to call: a held
balance, the signed-link withdrawal window that needs no login, unclaimed remainders, releases,
and a buyer's credit refunded to their card — every movement a ledger entry, each exactly once,
in a ledger the database refuses to rewrite."""

from __future__ import annotations

import threading
from datetime import timedelta
from unittest.mock import ANY

import pytest
import time_machine
from django.core import signing
from django.db import DatabaseError, connection, transaction

from accounts.models import AuditEntry
from core import clock
from core.errors import DomainError, NotAllowed
from core.sweep import sweep
from marketplace import selectors, services
from marketplace.models import (
    Bucket,
    CardRefund,
    CardRefundStatus,
    EntryKind,
    HoldStatus,
    LedgerEntry,
    Withdrawal,
    WithdrawalStatus,
)
from marketplace.providers import Payout, ProviderError, locmem
from marketplace.providers.local import LocalPayoutBackend
from marketplace.services import wallet
from marketplace.services.holds import LINK_SALT, payout_link_token
from marketplace.services.ledger import append
from tests.concurrency import race
from tests.conftest import ban
from tests.factories import make_available_funds, make_gig

pytestmark = pytest.mark.django_db

LATER = timedelta(days=90)


def hold(user, **kwargs):
    return services.hold_balance(
        user, actor=None, reason="banned", releases_at=clock.now() + LATER, **kwargs
    )


def entries(user, bucket):
    return list(
        LedgerEntry.objects.filter(user=user, bucket=bucket)
        .order_by("id")
        .values_list("kind", "amount_cents")
    )


@pytest.fixture
def seller_with_money(seller, buyer):
    """6,000 cents available and 5,000 pending (a completed order not cleared yet)."""
    make_available_funds(seller, 6000)
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    services.accept_order(services.deliver_order(order, actor=seller), actor=buyer)
    assert selectors.balances(seller) == selectors.Balances(5000, 6000, 0)
    return seller


# ---------------------------------------------------------------- the ledger
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on Postgres only")
@pytest.mark.parametrize(
    "statement",
    ["UPDATE marketplace_ledgerentry SET amount_cents = 1", "DELETE FROM marketplace_ledgerentry"],
)
def test_postgres_itself_refuses_to_rewrite_the_ledger(seller_with_money, statement):
    before = list(LedgerEntry.objects.values_list("id", "amount_cents"))
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert list(LedgerEntry.objects.values_list("id", "amount_cents")) == before


# ---------------------------------------------------------------- holding
def test_a_hold_takes_available_and_pending_money_and_refuses_withdrawal(seller_with_money):
    held = hold(seller_with_money)
    assert selectors.balances(seller_with_money) == selectors.Balances(0, 0, 0, 11000)
    with pytest.raises(NotAllowed) as refused:
        services.withdraw_funds(actor=seller_with_money, amount_cents=100, idempotency_key="k")
    assert refused.value.code == "balance_held"
    # The clearing sweep no longer moves the held earning to available.
    assert services.clear_pending_earnings(now=clock.now() + timedelta(days=30)) == 0
    assert selectors.balances(seller_with_money).available_cents == 0
    assert held.status == HoldStatus.HELD


def test_holding_again_moves_nothing_twice_but_adds_what_arrived_since(seller, buyer):
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    completed = services.accept_order(services.deliver_order(order, actor=seller), actor=buyer)
    first = hold(seller)
    assert hold(seller) == first
    assert selectors.balances(seller).held_cents == 5000
    services.tip_order(completed, actor=buyer, amount_cents=300)  # earned after the ban
    assert hold(seller) == first
    assert hold(seller) == first
    assert selectors.balances(seller) == selectors.Balances(0, 0, 0, 5300)


# ---------------------------------------------------------------- the withdrawal window
def test_the_signed_link_pays_the_held_balance_out_without_a_login(
    seller_with_money, django_capture_on_commit_callbacks
):
    held = hold(seller_with_money)
    token = services.open_payout_window(held, actor=None, closes_at=clock.now() + timedelta(days=7))
    assert token == payout_link_token(held)
    assert services.open_payout_window(held, actor=None, closes_at=clock.now()) == token
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = services.withdraw_held_balance(token)
    withdrawal.refresh_from_db()
    assert (withdrawal.amount_cents, withdrawal.status, withdrawal.hold_id) == (
        11000,
        WithdrawalStatus.PAID,
        held.pk,
    )
    assert [c for c in locmem.state.calls if c[0] == "payout"] == [
        ("payout", f"withdrawal:{withdrawal.pk}", 11000)
    ]
    assert selectors.balances(seller_with_money).held_cents == 0
    with pytest.raises(DomainError) as used:
        services.withdraw_held_balance(token)
    assert (used.value.code, used.value.status_code) == ("payout_link_used", 409)


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        (lambda token: token[:-2] + "xx", "payout_link_invalid"),
        (lambda token: "nonsense", "payout_link_invalid"),
        # The same hold id signed for another purpose is not a payout link.
        (lambda token: signing.dumps(signing.loads(token, salt=LINK_SALT)), "payout_link_invalid"),
    ],
)
def test_a_tampered_link_is_refused(seller_with_money, tamper, code):
    held = hold(seller_with_money)
    token = services.open_payout_window(held, actor=None, closes_at=clock.now() + timedelta(days=7))
    with pytest.raises(DomainError) as refused:
        services.withdraw_held_balance(tamper(token))
    assert refused.value.code == code
    assert not Withdrawal.objects.exists()


def test_the_link_works_only_while_the_window_is_open(seller_with_money):
    held = hold(seller_with_money)
    with pytest.raises(DomainError) as early:
        services.withdraw_held_balance(payout_link_token(held))
    assert early.value.code == "payout_link_invalid"
    closes = clock.now() + timedelta(days=7)
    token = services.open_payout_window(held, actor=None, closes_at=closes)
    with time_machine.travel(closes + timedelta(seconds=1)), pytest.raises(DomainError) as late:
        services.withdraw_held_balance(token)
    assert (late.value.code, late.value.status_code) == ("payout_link_expired", 410)


def test_a_refused_payout_puts_the_money_back_and_the_link_works_again(
    seller_with_money, django_capture_on_commit_callbacks
):
    held = hold(seller_with_money)
    token = services.open_payout_window(held, actor=None, closes_at=clock.now() + timedelta(days=7))
    locmem.state.fail_next = ProviderError("account closed", retryable=False)
    with django_capture_on_commit_callbacks(execute=True):
        failed = services.withdraw_held_balance(token)
    failed.refresh_from_db()
    assert failed.status == WithdrawalStatus.FAILED
    assert failed.idempotency_key == f"payout-window:{held.pk}:1"  # the link's first attempt
    assert selectors.balances(seller_with_money).held_cents == 11000
    with django_capture_on_commit_callbacks(execute=True):
        paid = services.withdraw_held_balance(token)
    paid.refresh_from_db()
    assert paid.status == WithdrawalStatus.PAID
    assert paid.idempotency_key == f"payout-window:{held.pk}:2"


def test_closing_the_window_marks_the_remainder_unclaimed_once(seller_with_money):
    held = hold(seller_with_money)
    services.open_payout_window(held, actor=None, closes_at=clock.now() + timedelta(days=7))
    closed = services.close_payout_window(held, actor=None)
    services.close_payout_window(held, actor=None)
    assert closed.status == HoldStatus.CLOSED
    assert entries(seller_with_money, Bucket.UNCLAIMED) == [(EntryKind.UNCLAIMED, 11000)]
    assert selectors.balances(seller_with_money).held_cents == 0
    with pytest.raises(DomainError) as refused:
        services.withdraw_held_balance(payout_link_token(held))
    assert refused.value.code == "payout_link_expired"


def test_a_released_hold_gives_the_money_back_once(seller_with_money):
    held = hold(seller_with_money)
    services.release_hold(held, actor=None, reason="appeal upheld")
    services.release_hold(held, actor=None, reason="twice")
    assert selectors.balances(seller_with_money) == selectors.Balances(0, 11000, 0, 0)
    assert entries(seller_with_money, Bucket.HELD)[-1] == (EntryKind.RELEASE, -11000)
    services.withdraw_funds(actor=seller_with_money, amount_cents=11000, idempotency_key="back")


def test_a_closed_hold_cannot_be_released_nor_a_released_one_closed(seller_with_money, buyer):
    held = hold(seller_with_money)
    services.open_payout_window(held, actor=None, closes_at=clock.now() + timedelta(days=7))
    services.close_payout_window(held, actor=None)
    with pytest.raises(DomainError) as refused:
        services.release_hold(held, actor=None, reason="too late")
    assert (refused.value.code, refused.value.status_code) == ("hold_not_open", 409)
    other = hold(buyer)
    services.release_hold(other, actor=None, reason="appeal")
    with pytest.raises(DomainError):
        services.close_payout_window(other, actor=None)


# ---------------------------------------------------------------- what the trail says
def test_every_step_of_a_hold_is_audited_with_the_money_it_moved(seller, buyer):
    make_available_funds(seller, 6000)
    for _ in range(2):  # two earnings still pending
        order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
        services.accept_order(services.deliver_order(order, actor=seller), actor=buyer)
    held = hold(seller)
    closes = clock.now() + timedelta(days=7)
    with time_machine.travel(clock.now(), tick=False):
        opened_at = clock.now()
        services.open_payout_window(held, actor=None, closes_at=closes)
        services.close_payout_window(held, actor=None)
    held.refresh_from_db()
    assert (held.window_opened_at, held.window_closes_at, held.ended_at) == (
        opened_at,
        closes,
        opened_at,
    )
    trail = [
        (e.action, e.target_user_id, e.reason, e.data)
        for e in AuditEntry.objects.filter(object_id=str(held.pk)).order_by("id")
    ]
    assert trail == [
        ("marketplace.balance_held", seller.pk, "banned", {"cents": 16000}),
        ("marketplace.payout_window_opened", seller.pk, "", {"closes_at": closes.isoformat()}),
        ("marketplace.payout_window_closed", seller.pk, "", {"cents": 16000}),
    ]


def test_a_single_cent_is_held_paid_out_and_marked_unclaimed(
    seller, buyer, django_capture_on_commit_callbacks
):
    make_available_funds(seller, 6000)
    services.withdraw_funds(actor=seller, amount_cents=5999, idempotency_key="most")
    first = hold(seller)
    assert selectors.balances(seller).held_cents == 1
    token = services.open_payout_window(first, actor=None, closes_at=clock.now() + LATER)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.withdraw_held_balance(token).amount_cents == 1
    services.close_payout_window(first, actor=None)
    make_available_funds(buyer, 6000)
    services.withdraw_funds(actor=buyer, amount_cents=5999, idempotency_key="most")
    second = hold(buyer)
    services.open_payout_window(second, actor=None, closes_at=clock.now() + LATER)
    services.close_payout_window(second, actor=None)
    assert entries(buyer, Bucket.UNCLAIMED) == [(EntryKind.UNCLAIMED, 1)]


def test_a_link_to_an_empty_hold_pays_nothing(buyer):
    empty = hold(buyer)
    token = services.open_payout_window(empty, actor=None, closes_at=clock.now() + LATER)
    with pytest.raises(DomainError) as refused:
        services.withdraw_held_balance(token)
    assert refused.value.code == "nothing_held"
    assert not Withdrawal.objects.exists()


def test_the_link_expires_at_the_closing_instant(seller_with_money):
    held = hold(seller_with_money)
    closes = clock.now() + timedelta(days=7)
    token = services.open_payout_window(held, actor=None, closes_at=closes)
    with time_machine.travel(closes, tick=False), pytest.raises(DomainError) as late:
        services.withdraw_held_balance(token)
    assert late.value.code == "payout_link_expired"


# ---------------------------------------------------------------- credit back to the card
def test_a_buyers_credit_goes_back_to_the_cards_it_came_from_once(
    buyer, seller, django_capture_on_commit_callbacks
):
    first = services.place_order(make_gig(seller, price="30.00"), actor=buyer, extra_ids=[])
    second = services.place_order(
        make_gig(seller, price="50.00", title="Second"), actor=buyer, extra_ids=[]
    )
    services.cancel_order(first, actor=buyer)
    services.cancel_order(second, actor=buyer)
    third = services.place_order(
        make_gig(seller, price="10.00", title="Third"), actor=buyer, extra_ids=[]
    )
    assert selectors.balances(buyer).credit_cents == 7000  # 80.00 refunded, 10.00 spent again
    with django_capture_on_commit_callbacks(execute=True):
        parts = services.refund_credit_to_card(buyer, actor=None, reason="banned")
    settled = CardRefund.objects.filter(pk__in=[p.pk for p in parts])
    assert {p.status for p in settled} == {CardRefundStatus.REFUNDED}  # by the queued tasks
    for part in parts:
        services.settle_card_refund(str(part.pk))  # a second run of each task
    refunds = [c for c in locmem.state.calls if c[0] == "refund"]
    # Newest charge first: the whole 50.00 of the second order, then 20.00 of the first.
    assert [(key.split(":")[0], cents) for _, key, cents in refunds] == [
        ("card-refund", 5000),
        ("card-refund", 2000),
    ]
    assert [p.charge_reference for p in parts] == [
        second.payment_reference,
        first.payment_reference,
    ]
    for part in parts:
        part.refresh_from_db()
        assert part.status == CardRefundStatus.REFUNDED
    assert selectors.balances(buyer).credit_cents == 0
    assert services.refund_credit_to_card(buyer, actor=None, reason="again") == []
    assert third.payment_reference == ""  # paid with credit: nothing to refund there
    (requested,) = AuditEntry.objects.filter(action="marketplace.card_refund_requested")
    assert (requested.target_user_id, requested.reason, requested.data) == (
        buyer.pk,
        "banned",
        {"cents": 7000, "parts": 2, "left": 0},
    )


def refunded_parts(buyer):
    parts = services.refund_credit_to_card(buyer, actor=None, reason="banned")
    return [(part.charge_reference, part.amount_cents) for part in parts]


def test_a_charge_is_never_refunded_more_than_it_took(buyer, seller):
    def order(price, title):
        return services.place_order(
            make_gig(seller, price=price, title=title), actor=buyer, extra_ids=[]
        )

    untouched = order("20.00", "Untouched")  # the oldest charge, never cancelled
    older, newer = order("40.00", "Older"), order("50.00", "Newer")
    services.cancel_order(older, actor=buyer)
    services.cancel_order(newer, actor=buyer)
    with_credit = order("60.00", "With credit")  # 90.00 of credit, 30.00 left
    assert refunded_parts(buyer) == [(newer.payment_reference, 3000)]
    services.cancel_order(with_credit, actor=buyer)  # 60.00 of credit again
    # The newer charge has 20.00 left to refund; the rest comes from the older one; the
    # untouched order's charge is not refunded at all.
    assert refunded_parts(buyer) == [
        (newer.payment_reference, 2000),
        (older.payment_reference, 4000),
    ]
    assert untouched.payment_reference not in set(
        CardRefund.objects.values_list("charge_reference", flat=True)
    )
    assert selectors.balances(buyer).credit_cents == 0


def test_a_charge_refunded_in_full_before_is_passed_over(buyer, seller):
    older = services.place_order(make_gig(seller, price="30.00"), actor=buyer, extra_ids=[])
    newer = services.place_order(
        make_gig(seller, price="50.00", title="Newer"), actor=buyer, extra_ids=[]
    )
    services.cancel_order(newer, actor=buyer)
    assert refunded_parts(buyer) == [(newer.payment_reference, 5000)]
    services.cancel_order(older, actor=buyer)
    # The newest charge has nothing left: no part of 0 cents for it, the older one pays.
    assert refunded_parts(buyer) == [(older.payment_reference, 3000)]
    assert not CardRefund.objects.filter(amount_cents=0).exists()


def test_credit_no_card_paid_stays_on_the_account_and_the_audit_says_so(buyer, seller):
    by_card = services.place_order(make_gig(seller, price="50.00"), actor=buyer, extra_ids=[])
    services.cancel_order(by_card, actor=buyer)
    # Credit with no charge behind it (a goodwill credit, say): nothing to send it back to.
    append(user=buyer, bucket=Bucket.CREDIT, kind=EntryKind.REFUND, amount_cents=700)
    assert refunded_parts(buyer) == [(by_card.payment_reference, 5000)]
    assert AuditEntry.objects.get(action="marketplace.card_refund_requested").data == {
        "cents": 5000,
        "parts": 1,
        "left": 700,
    }
    assert selectors.balances(buyer).credit_cents == 700


def test_credit_is_refunded_to_the_cent(buyer, seller):
    by_card = services.place_order(make_gig(seller, price="50.00"), actor=buyer, extra_ids=[])
    services.cancel_order(by_card, actor=buyer)
    # 50.00 of credit and one cent by card, then 50.01 back as credit.
    topped_up = services.place_order(
        make_gig(seller, price="50.01", title="Topped up"), actor=buyer, extra_ids=[]
    )
    services.cancel_order(topped_up, actor=buyer)
    assert refunded_parts(buyer) == [
        (topped_up.payment_reference, 1),
        (by_card.payment_reference, 5000),
    ]


def test_a_single_cent_of_credit_goes_back_to_the_card(buyer, seller):
    by_card = services.place_order(make_gig(seller, price="50.01"), actor=buyer, extra_ids=[])
    services.cancel_order(by_card, actor=buyer)
    services.place_order(make_gig(seller, price="50.00", title="Credit"), actor=buyer, extra_ids=[])
    assert selectors.balances(buyer).credit_cents == 1
    assert refunded_parts(buyer) == [(by_card.payment_reference, 1)]
    assert AuditEntry.objects.get(action="marketplace.card_refund_requested").data == {
        "cents": 1,
        "parts": 1,
        "left": 0,
    }


def test_a_refused_refund_returns_the_credit(buyer, seller, django_capture_on_commit_callbacks):
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    services.cancel_order(order, actor=buyer)
    locmem.state.fail_next = ProviderError("card expired", retryable=False)
    with django_capture_on_commit_callbacks(execute=True):
        (part,) = services.refund_credit_to_card(buyer, actor=None, reason="banned")
    part.refresh_from_db()
    assert part.status == CardRefundStatus.FAILED
    assert selectors.balances(buyer).credit_cents == 5000


def test_a_buyer_without_credit_is_refunded_nothing(buyer):
    assert services.refund_credit_to_card(buyer, actor=None, reason="banned") == []
    assert not LedgerEntry.objects.filter(user=buyer).exists()
    assert not AuditEntry.objects.filter(action="marketplace.card_refund_requested").exists()


# ---------------------------------------------------------------- money that moves meanwhile
def test_a_tip_to_a_banned_seller_is_refused(completed, buyer, seller):
    ban(seller)
    with pytest.raises(NotAllowed) as refused:
        services.tip_order(completed, actor=buyer, amount_cents=500)
    assert refused.value.code == "seller_unavailable"
    assert [c for c in locmem.state.calls if c[0] == "charge"] == [("charge", ANY, 5000)]


def test_earnings_that_clear_while_a_hold_is_open_go_into_it(seller, buyer):
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    completed = services.accept_order(services.deliver_order(order, actor=seller), actor=buyer)
    held = hold(seller)
    services.tip_order(completed, actor=buyer, amount_cents=300)  # pending after the hold
    services.clear_pending_earnings(now=clock.now() + timedelta(days=15))
    assert selectors.balances(seller) == selectors.Balances(0, 0, 0, 5300)
    assert selectors.held_in(held) == 5300


def test_a_refused_payout_of_a_user_held_meanwhile_goes_into_the_hold(
    seller_with_money, django_capture_on_commit_callbacks
):
    withdrawal, _ = services.withdraw_funds(
        actor=seller_with_money, amount_cents=6000, idempotency_key="before-ban"
    )
    held = hold(seller_with_money)
    locmem.state.fail_next = ProviderError("account closed", retryable=False)
    services.pay_out_withdrawal(str(withdrawal.pk))
    assert selectors.balances(seller_with_money) == selectors.Balances(0, 0, 0, 11000)
    assert selectors.held_in(held) == 11000


class BlockingPayout(LocalPayoutBackend):
    """Refuses a payout, but only once the test lets it (the provider is slow)."""

    called, proceed = threading.Event(), threading.Event()

    def payout(self, *, recipient: str, amount_cents: int, idempotency_key: str) -> Payout:
        BlockingPayout.called.set()
        assert BlockingPayout.proceed.wait(10)
        raise ProviderError("account closed", retryable=False)


@race
def test_a_payout_refused_after_the_hold_was_released_returns_to_the_seller(
    seller, settings, monkeypatch
):
    make_available_funds(seller, 6000)
    held = hold(seller)
    token = services.open_payout_window(held, actor=None, closes_at=clock.now() + timedelta(days=7))
    monkeypatch.setattr(wallet, "enqueue_after_commit", lambda *args: None)  # paid below
    withdrawal = services.withdraw_held_balance(token)
    settings.PAYOUT_BACKEND = f"{__name__}.BlockingPayout"
    BlockingPayout.called.clear()
    BlockingPayout.proceed.clear()

    def pay() -> None:
        services.pay_out_withdrawal(str(withdrawal.pk))
        connection.close()

    thread = threading.Thread(target=pay)
    thread.start()
    assert BlockingPayout.called.wait(10)
    services.release_hold(held, actor=None, reason="appeal upheld")  # while the payout is out
    BlockingPayout.proceed.set()
    thread.join()
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.FAILED
    assert selectors.balances(seller) == selectors.Balances(0, 6000, 0, 0)


@race
def test_a_hold_during_a_clearing_run_holds_everything_and_neither_fails(seller, buyer):
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    services.accept_order(services.deliver_order(order, actor=seller), actor=buyer)
    make_available_funds(seller, 1000)  # cleared now, so only the first earning stays pending
    order = services.place_order(make_gig(seller, title="Second"), actor=buyer, extra_ids=[])
    services.accept_order(services.deliver_order(order, actor=seller), actor=buyer)
    claimed, go = threading.Event(), threading.Event()
    errors: list[str] = []

    def slow_clear(batch, now):
        claimed.set()
        go.wait(10)
        wallet._clear(batch, now)

    def clearing_run() -> None:
        try:
            sweep(
                wallet._due_for_clearing,
                slow_clear,
                order_by=("due_at", "entry"),
                now=clock.now() + timedelta(days=30),
            )
        except Exception as error:  # pragma: no cover - what the test is about
            errors.append(repr(error))
        finally:
            connection.close()

    thread = threading.Thread(target=clearing_run)
    thread.start()
    assert claimed.wait(10)
    threading.Timer(0.5, go.set).start()  # the run finishes while the hold waits for its rows
    hold(seller)
    thread.join()
    assert errors == []
    assert selectors.balances(seller) == selectors.Balances(0, 0, 0, 11000)
