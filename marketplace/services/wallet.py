"""The wallet (K-5, J-5): clearing pending earnings, withdrawals through the payout backend."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts import audit
from accounts.models import User
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
from marketplace.services.settle import conclude, settle

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
    """Send a requested withdrawal to the payout backend, once (`settle`), with the
    withdrawal's id as the provider's idempotency key. A refused payout returns the money to the
    balance it came from (for a banned seller's window, wherever the hold says it belongs)."""
    return settle(
        Withdrawal.objects.select_related("user", "hold"),
        withdrawal_id,
        call=lambda withdrawal: (
            providers.payouts()
            .payout(
                recipient=str(withdrawal.user_id),
                amount_cents=withdrawal.amount_cents,
                idempotency_key=f"withdrawal:{withdrawal.pk}",
            )
            .reference
        ),
        done=_paid,
        refused=_refused,
    )


def _paid(withdrawal: Withdrawal, reference: str) -> None:
    conclude(
        withdrawal,
        status=WithdrawalStatus.PAID,
        payout_reference=reference,
        entry={
            "user": withdrawal.user_id,
            "bucket": Bucket.EXTERNAL,
            "kind": EntryKind.WITHDRAWAL,
            "amount_cents": withdrawal.amount_cents,
            "withdrawal": withdrawal,
            "reference": reference,
        },
        action=WITHDRAWAL_PAID,
    )


def _refused(withdrawal: Withdrawal, failure: str) -> None:
    back_to = withdrawal.source
    if withdrawal.hold is not None:
        # Where a banned seller's money belongs now that the hold may have moved on.
        back_to = RETURNS_TO[HoldStatus(withdrawal.hold.status)]
    conclude(
        withdrawal,
        status=WithdrawalStatus.FAILED,
        failure=failure,
        entry={
            "user": withdrawal.user_id,
            "bucket": back_to,
            "kind": EntryKind.WITHDRAWAL_REVERSED,
            "amount_cents": withdrawal.amount_cents,
            "withdrawal": withdrawal,
            "hold": withdrawal.hold,
        },
        action=WITHDRAWAL_FAILED,
        reason=failure,
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
