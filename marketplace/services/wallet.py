"""The wallet (K-5, J-5): clearing pending earnings, withdrawals through the payout backend."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts import audit
from accounts.models import User
from core import clock
from core.queue import enqueue_after_commit
from core.sweep import sweep
from marketplace import permissions, providers, selectors
from marketplace.audit import WITHDRAWAL_FAILED, WITHDRAWAL_PAID, WITHDRAWAL_REQUESTED
from marketplace.errors import IdempotencyKeyReused, InsufficientFunds
from marketplace.models import (
    BalanceHold,
    Bucket,
    EntryKind,
    HoldStatus,
    LedgerEntry,
    Withdrawal,
    WithdrawalStatus,
)
from marketplace.services.ledger import append, lock_user, move

PAY_OUT_WITHDRAWAL = "marketplace.tasks.pay_out_withdrawal"
# A refused payout through a held balance's window goes back to the hold while the window is
# open, to the seller once the hold was released, and is unclaimed once the window closed.
RETURNS_TO = {
    HoldStatus.HELD: Bucket.HELD,
    HoldStatus.WINDOW_OPEN: Bucket.HELD,
    HoldStatus.RELEASED: Bucket.AVAILABLE,
    HoldStatus.CLOSED: Bucket.UNCLAIMED,
}


def withdraw_funds(
    *, actor: User, amount_cents: int, idempotency_key: str
) -> tuple[Withdrawal, bool]:
    """Withdraw the actor's available funds. A retried request with the same key returns the
    first withdrawal (created=False) and never pays twice; two concurrent withdrawals of the
    whole balance are serialised on the user's row, so exactly one succeeds."""
    user = actor
    permissions.may_withdraw(user).enforce()
    existing = Withdrawal.objects.filter(user=user, idempotency_key=idempotency_key).first()
    if existing:
        return _replayed(existing, amount_cents), False
    try:
        with transaction.atomic():
            lock_user(user.pk)
            if selectors.balances(user).available_cents < amount_cents:
                raise InsufficientFunds()
            withdrawal = request_payout(
                user, actor=actor, amount_cents=amount_cents, idempotency_key=idempotency_key
            )
    except IntegrityError:  # the same key, committed by a concurrent request
        existing = Withdrawal.objects.get(user=user, idempotency_key=idempotency_key)
        return _replayed(existing, amount_cents), False
    return withdrawal, True


def _replayed(withdrawal: Withdrawal, amount_cents: int) -> Withdrawal:
    if withdrawal.amount_cents != amount_cents:
        raise IdempotencyKeyReused()
    return withdrawal


def request_payout(
    user: User,
    *,
    actor: User | None,
    amount_cents: int,
    idempotency_key: str,
    hold: BalanceHold | None = None,
) -> Withdrawal:
    """Take the amount out of its balance and queue the payout (inside the caller's
    transaction, with the user's row locked and the balance checked)."""
    withdrawal = Withdrawal.objects.create(
        user=user, amount_cents=amount_cents, idempotency_key=idempotency_key, hold=hold
    )
    append(
        user=user,
        bucket=withdrawal.source,
        kind=EntryKind.WITHDRAWAL,
        amount_cents=-amount_cents,
        withdrawal=withdrawal,
        hold=withdrawal.hold,
    )
    audit.record(
        WITHDRAWAL_REQUESTED,
        actor=actor,
        target_user=user,
        obj=withdrawal,
        data={"cents": amount_cents, "from": withdrawal.source},
    )
    enqueue_after_commit(PAY_OUT_WITHDRAWAL, str(withdrawal.pk))
    return withdrawal


def pay_out_withdrawal(withdrawal_id: str) -> Withdrawal:
    """Send a requested withdrawal to the payout backend. Safe to run twice: only a `requested`
    withdrawal is paid, under its row lock, with the withdrawal's id as the provider's
    idempotency key. A refused payout returns the money to the balance it came from (for a
    banned seller's window, to the held balance, or unclaimed once the window has closed)."""
    with transaction.atomic():
        withdrawal = (
            Withdrawal.objects.select_for_update(of=("self",))
            .select_related("user", "hold")
            .get(pk=withdrawal_id)
        )
        if withdrawal.status != WithdrawalStatus.REQUESTED:
            return withdrawal
        # Calling out under the lock is deliberate: the lock is what guarantees one attempt at
        # a time; the idempotency key makes a crashed attempt's retry safe.
        try:
            payout = providers.payouts().payout(
                recipient=str(withdrawal.user_id),
                amount_cents=withdrawal.amount_cents,
                idempotency_key=f"withdrawal:{withdrawal.pk}",
            )
        except providers.ProviderError as error:
            if error.retryable:
                raise
            _refused(withdrawal, str(error))
            return withdrawal
        withdrawal.status = WithdrawalStatus.PAID
        withdrawal.payout_reference = payout.reference
        withdrawal.settled_at = clock.now()
        withdrawal.save(update_fields=["status", "payout_reference", "settled_at"])
        append(
            user=withdrawal.user_id,
            bucket=Bucket.EXTERNAL,
            kind=EntryKind.WITHDRAWAL,
            amount_cents=withdrawal.amount_cents,
            withdrawal=withdrawal,
            reference=payout.reference,
        )
        audit.record(WITHDRAWAL_PAID, actor=None, target_user=withdrawal.user, obj=withdrawal)
    return withdrawal


def _refused(withdrawal: Withdrawal, failure: str) -> None:
    withdrawal.status = WithdrawalStatus.FAILED
    withdrawal.failure = failure
    withdrawal.settled_at = clock.now()
    withdrawal.save(update_fields=["status", "failure", "settled_at"])
    back_to = withdrawal.source
    if withdrawal.hold is not None:
        # Where a banned seller's money belongs now that the hold may have moved on.
        back_to = RETURNS_TO[HoldStatus(withdrawal.hold.status)]
    append(
        user=withdrawal.user_id,
        bucket=back_to,
        kind=EntryKind.WITHDRAWAL_REVERSED,
        amount_cents=withdrawal.amount_cents,
        withdrawal=withdrawal,
        hold=withdrawal.hold,
    )
    audit.record(
        WITHDRAWAL_FAILED,
        actor=None,
        target_user=withdrawal.user,
        obj=withdrawal,
        reason=failure,
        data={"back_to": back_to},
    )


def _due_for_clearing(now: datetime) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(
        bucket=Bucket.PENDING,
        amount_cents__gt=0,
        available_at__lte=now,
        cleared_by__isnull=True,
    ).select_related("order")


def _clear(batch: list[LedgerEntry], now: datetime) -> None:
    for entry in batch:
        move(
            user=entry.user_id,
            source=Bucket.PENDING,
            target=Bucket.AVAILABLE,
            kind=EntryKind.CLEARING,
            amount_cents=entry.amount_cents,
            order=entry.order,
            clears=entry,
        )


def clear_pending_earnings(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """J-5: move pending earnings and tips whose clearing period is over to available, through
    the sweep (SKIP LOCKED batches; the unique `clears` link refuses a second clearing)."""
    return sweep(
        _due_for_clearing,
        _clear,
        order_by=("available_at", "id"),
        now=now,
        batch_size=batch_size,
    )
