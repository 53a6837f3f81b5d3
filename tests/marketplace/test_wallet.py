"""The wallet's withdrawals and payouts, asserted the way the money moves: who is paid, how
much, once; the idempotency key per user; the ledger links, the audit entries and the
withdrawal's record of the outcome; the clearing sweep over more than one batch."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import pytest

from accounts.models import AuditEntry
from core import clock
from core.errors import NotAllowed
from marketplace import selectors, services
from marketplace.errors import IdempotencyKeyReused, InsufficientFunds
from marketplace.models import (
    Bucket,
    EntryKind,
    GigStatus,
    LedgerEntry,
    PendingClearance,
    Withdrawal,
    WithdrawalStatus,
)
from marketplace.providers import Payout, ProviderError, locmem
from tests.concurrency import at_once, race
from tests.factories import UserFactory, make_available_funds, make_gig

pytestmark = pytest.mark.django_db


def payout_requests():
    return [r for r in locmem.state.requests if r.kind == "payout"]


def test_a_withdrawal_pays_its_user_once_and_records_everything(
    seller, django_capture_on_commit_callbacks
):
    make_available_funds(seller, 5000)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal, created = services.withdraw_funds(
            actor=seller, amount_cents=3000, idempotency_key="w1"
        )
    services.pay_out_withdrawal(str(withdrawal.pk))  # the job runs again: nothing is asked
    withdrawal.refresh_from_db()
    assert created
    (request,) = payout_requests()
    assert (request.party, request.amount_cents, request.idempotency_key) == (
        str(seller.pk),
        3000,
        f"withdrawal:{withdrawal.pk}",
    )
    assert withdrawal.status == WithdrawalStatus.PAID
    paid = cast(Payout, locmem.state.by_key[request.idempotency_key])
    assert withdrawal.payout_reference == paid.reference
    assert withdrawal.settled_at is not None
    entries = list(
        LedgerEntry.objects.filter(withdrawal=withdrawal)
        .order_by("id")
        .values_list("user_id", "bucket", "kind", "amount_cents", "reference")
    )
    assert entries == [
        (seller.pk, Bucket.AVAILABLE, EntryKind.WITHDRAWAL, -3000, ""),
        (seller.pk, Bucket.EXTERNAL, EntryKind.WITHDRAWAL, 3000, withdrawal.payout_reference),
    ]
    audit = AuditEntry.objects.filter(object_id=str(withdrawal.pk)).order_by("id")
    assert [(e.action, e.actor_id, e.target_user_id) for e in audit] == [
        ("marketplace.withdrawal_requested", seller.pk, seller.pk),
        ("marketplace.withdrawal_paid", None, seller.pk),
    ]
    assert audit[0].data == {"cents": 3000, "from": "available"}
    assert audit[1].reason == ""  # paid: there is nothing to explain
    assert selectors.balances(seller).available_cents == 2000


def test_a_refused_payout_records_why_and_returns_the_money_once(seller):
    make_available_funds(seller, 5000)
    withdrawal, _ = services.withdraw_funds(actor=seller, amount_cents=5000, idempotency_key="w")
    locmem.state.fail_next = ProviderError("account closed", retryable=False)
    services.pay_out_withdrawal(str(withdrawal.pk))
    services.pay_out_withdrawal(str(withdrawal.pk))
    withdrawal.refresh_from_db()
    assert (withdrawal.status, withdrawal.failure) == (WithdrawalStatus.FAILED, "account closed")
    assert withdrawal.settled_at is not None
    assert len(payout_requests()) == 1
    reversed_ = LedgerEntry.objects.get(withdrawal=withdrawal, kind=EntryKind.WITHDRAWAL_REVERSED)
    assert (reversed_.bucket, reversed_.amount_cents) == (Bucket.AVAILABLE, 5000)
    failed = AuditEntry.objects.get(action="marketplace.withdrawal_failed")
    assert (failed.reason, failed.target_user_id) == ("account closed", seller.pk)
    assert selectors.balances(seller).available_cents == 5000


@pytest.mark.parametrize("retryable", [True, False])
def test_a_providers_long_answer_is_kept_to_a_bounded_length(seller, retryable):
    make_available_funds(seller, 5000)
    withdrawal, _ = services.withdraw_funds(actor=seller, amount_cents=5000, idempotency_key="w")
    locmem.state.fail_next = ProviderError("x" * 5000, retryable=retryable)
    services.pay_out_withdrawal(str(withdrawal.pk))
    withdrawal.refresh_from_db()
    assert withdrawal.failure == "x" * 1000


def test_the_idempotency_key_is_per_user_and_per_request(seller):
    make_available_funds(seller, 5000)
    other = UserFactory.create()
    make_available_funds(other, 5000)
    first, _ = services.withdraw_funds(actor=seller, amount_cents=1000, idempotency_key="same")
    # Another key is another withdrawal, not a replay of the first.
    second, created = services.withdraw_funds(actor=seller, amount_cents=1000, idempotency_key="k2")
    assert created
    assert second.pk != first.pk
    # Another user's same key is their own withdrawal.
    theirs, created = services.withdraw_funds(
        actor=other, amount_cents=1000, idempotency_key="same"
    )
    assert created
    assert theirs.user == other
    replay, created = services.withdraw_funds(
        actor=seller, amount_cents=1000, idempotency_key="same"
    )
    assert (replay.pk, created) == (first.pk, False)
    with pytest.raises(IdempotencyKeyReused):
        services.withdraw_funds(actor=seller, amount_cents=999, idempotency_key="same")
    assert Withdrawal.objects.filter(user=seller).count() == 2


def test_more_than_the_available_balance_is_refused_and_nothing_is_written(seller):
    make_available_funds(seller, 1000)
    with pytest.raises(InsufficientFunds):
        services.withdraw_funds(actor=seller, amount_cents=1001, idempotency_key="too much")
    assert not Withdrawal.objects.exists()
    services.withdraw_funds(actor=seller, amount_cents=1000, idempotency_key="all of it")
    assert selectors.balances(seller).available_cents == 0


@race
def test_the_same_key_sent_twice_at_once_withdraws_once():
    seller = UserFactory.create()
    make_available_funds(seller, 10000)

    def withdraw() -> tuple[str, bool]:
        withdrawal, created = services.withdraw_funds(
            actor=seller, amount_cents=4000, idempotency_key="double-click"
        )
        return str(withdrawal.pk), created

    results = at_once(withdraw, withdraw)
    assert sorted(created for _, created in results) == [False, True]
    assert len({pk for pk, _ in results}) == 1
    assert selectors.balances(seller).available_cents == 6000


def test_clearing_works_through_more_due_entries_than_one_batch(buyer):
    sellers = [UserFactory.create() for _ in range(3)]
    for seller in sellers:
        for _ in range(3):
            order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
            services.accept_order(services.deliver_order(order, actor=seller), actor=buyer)
    later = clock.now() + timedelta(days=15)
    assert services.clear_pending_earnings(now=later, batch_size=2) == 9
    assert not PendingClearance.objects.exists()
    for seller in sellers:
        assert selectors.balances(seller) == selectors.Balances(0, 15000, 0)
    cleared = LedgerEntry.objects.filter(kind=EntryKind.CLEARING, bucket=Bucket.PENDING)
    assert cleared.filter(clears__isnull=False).count() == 9


def test_nothing_clears_before_its_date(completed, seller):
    due = PendingClearance.objects.get(user=seller).due_at
    assert services.clear_pending_earnings(now=due - timedelta(seconds=1)) == 0
    assert services.clear_pending_earnings(now=due) == 1


def test_a_paused_gig_cannot_be_ordered(gig, buyer, seller):
    services.update_gig(gig, actor=seller, status=GigStatus.PAUSED)
    with pytest.raises(NotAllowed) as refused:
        services.place_order(gig, actor=buyer, extra_ids=[])
    assert refused.value.code == "gig_paused"
    assert locmem.state.requests == []


def test_a_replay_after_the_balance_was_spent_still_answers_the_first_withdrawal(seller):
    make_available_funds(seller, 2000)
    first, _ = services.withdraw_funds(actor=seller, amount_cents=2000, idempotency_key="once")
    assert selectors.balances(seller).available_cents == 0
    replay, created = services.withdraw_funds(
        actor=seller, amount_cents=2000, idempotency_key="once"
    )
    assert (replay.pk, created) == (first.pk, False)
