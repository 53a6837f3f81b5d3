"""Payouts and refunds to card are never lost: the row is their schedule. A task lost with the
broker, or a provider that asks to try later, leaves the row due, and the retry jobs finish it
once (`core.retry`)."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command

from core import clock
from marketplace import selectors, services
from marketplace.models import CardRefundStatus, Withdrawal, WithdrawalStatus
from marketplace.providers import ProviderError, locmem
from marketplace.services import refunds, wallet
from tests.factories import make_available_funds, make_gig

pytestmark = pytest.mark.django_db


def payouts():
    return [call for call in locmem.state.calls if call[0] == "payout"]


def test_a_withdrawal_whose_task_was_lost_is_paid_by_the_job_once(seller):
    make_available_funds(seller, 4000)
    # No commit callbacks run here: as if the broker had refused the task.
    withdrawal, _ = services.withdraw_funds(actor=seller, amount_cents=4000, idempotency_key="k")
    assert wallet.retry_payouts() == 0  # the fast path's turn first
    with time_machine.travel(withdrawal.next_attempt_at):
        call_command("runjob", "retry_payouts")
        call_command("runjob", "retry_payouts")
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.PAID
    assert payouts() == [("payout", f"withdrawal:{withdrawal.pk}", 4000)]


def test_a_provider_that_asks_to_retry_gets_another_attempt_later(
    seller, django_capture_on_commit_callbacks
):
    make_available_funds(seller, 4000)
    locmem.state.fail_next = ProviderError("try again later", retryable=True)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal, _ = services.withdraw_funds(
            actor=seller, amount_cents=4000, idempotency_key="k"
        )
    withdrawal.refresh_from_db()
    assert (withdrawal.status, withdrawal.attempts) == (WithdrawalStatus.REQUESTED, 1)
    assert withdrawal.failure == "try again later"
    assert withdrawal.next_attempt_at is not None
    assert clock.now() < withdrawal.next_attempt_at
    with time_machine.travel(withdrawal.next_attempt_at):
        assert wallet.retry_payouts() == 1
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.PAID
    assert selectors.balances(seller).available_cents == 0


def test_retries_back_off_and_never_pay_twice(seller):
    make_available_funds(seller, 1000)
    withdrawal, _ = services.withdraw_funds(actor=seller, amount_cents=1000, idempotency_key="k")

    def next_attempt():
        due = Withdrawal.objects.get(pk=withdrawal.pk).next_attempt_at
        assert due is not None
        return due

    waits = []
    for _ in range(3):
        locmem.state.fail_next = ProviderError("busy", retryable=True)
        before = next_attempt()
        with time_machine.travel(before):
            wallet.retry_payouts()
            waits.append(next_attempt() - before)
    assert [int(wait.total_seconds()) for wait in waits] == [60, 120, 240]
    with time_machine.travel(next_attempt()):
        wallet.retry_payouts()
        wallet.retry_payouts()
    assert payouts() == [("payout", f"withdrawal:{withdrawal.pk}", 1000)]


def test_a_refund_to_card_whose_task_was_lost_is_made_by_the_job_once(buyer, seller):
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    services.cancel_order(order, actor=buyer)
    (part,) = services.refund_credit_to_card(buyer, actor=None, reason="banned")
    with time_machine.travel(part.next_attempt_at):
        call_command("runjob", "retry_card_refunds")
        assert refunds.retry_card_refunds() == 0
    part.refresh_from_db()
    assert part.status == CardRefundStatus.REFUNDED
    assert [c[1] for c in locmem.state.calls if c[0] == "refund"] == [f"card-refund:{part.pk}"]
