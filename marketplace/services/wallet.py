"""The wallet (K-5, J-5): clearing pending earnings, withdrawals through the payout backend."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts import audit
from accounts.models import User
from core import clock
from core.queue import enqueue_after_commit
from core.retry import first_attempt_at, retry_due
from core.sweep import sweep
from marketplace import permissions, providers, selectors
from marketplace.audit import WITHDRAWAL_FAILED, WITHDRAWAL_PAID, WITHDRAWAL_REQUESTED
from marketplace.errors import IdempotencyKeyReused, InsufficientFunds
from marketplace.models import (
    HELD_MONEY_GOES_TO,
    BalanceHold,
    Bucket,
    EntryKind,
    LedgerEntry,
    PendingClearance,
    Withdrawal,
    WithdrawalStatus,
)
from marketplace.services.ledger import append, append_many, lock_user
from marketplace.services.settle import conclude, settle

# The task's name, used by both the task and its queuing (a mutant of it changes both alike).
PAY_OUT_WITHDRAWAL = "marketplace.tasks.pay_out_withdrawal"  # pragma: no mutate


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
        user=user,
        amount_cents=amount_cents,
        idempotency_key=idempotency_key,
        hold=hold,
        next_attempt_at=first_attempt_at(clock.now()),
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
    # The money goes back where it belongs now, which a hold may have changed while the payout
    # was on its way: into the window's hold (wherever its state says), or into an open hold of
    # a user banned since; else to the available balance.
    lock_user(withdrawal.user_id)
    holds = BalanceHold.objects.select_for_update(of=("self",))
    hold = (
        holds.get(pk=withdrawal.hold_id)
        if withdrawal.hold_id
        else holds.open_for(withdrawal.user_id).first()
    )
    back_to = HELD_MONEY_GOES_TO[hold.status] if hold else Bucket.AVAILABLE
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
            "hold": hold,
        },
        action=WITHDRAWAL_FAILED,
        reason=failure,
    )


def _due_payouts(now: datetime) -> QuerySet[Withdrawal]:
    return Withdrawal.objects.filter(status=WithdrawalStatus.REQUESTED, next_attempt_at__lte=now)


def retry_payouts(*, now: datetime | None = None) -> int:
    """Requested withdrawals whose payout task was lost (the broker was down, a worker died)
    or whose provider asked to try later: each paid, refused, or rescheduled."""
    return retry_due(
        _due_payouts, lambda withdrawal: pay_out_withdrawal(str(withdrawal.pk)), now=now
    )


def _due_for_clearing(now: datetime) -> QuerySet[PendingClearance]:
    return PendingClearance.objects.filter(due_at__lte=now).select_related("entry")


def _clear(batch: list[PendingClearance], now: datetime) -> None:
    # A banned seller's earnings clear into their hold, not to a balance they could withdraw.
    holds = {
        hold.user_id: hold
        for hold in BalanceHold.objects.filter(
            user_id__in={due.user_id for due in batch}, status__in=BalanceHold.OPEN_STATUSES
        )
    }
    # The whole batch in one append: out of pending (settling each entry once, by its unique
    # `clears` link) and into available, or the seller's hold.
    entries = []
    for due in batch:
        earning, hold = due.entry, holds.get(due.user_id)
        for bucket, cents, settles in (
            (Bucket.PENDING, -earning.amount_cents, earning),
            (Bucket.HELD if hold else Bucket.AVAILABLE, earning.amount_cents, None),
        ):
            entries.append(
                LedgerEntry(
                    user_id=due.user_id,
                    bucket=bucket,
                    kind=EntryKind.CLEARING,
                    amount_cents=cents,
                    order_id=earning.order_id,
                    hold=hold,
                    clears=settles,
                )
            )
    append_many(entries)
    PendingClearance.objects.filter(pk__in=[due.pk for due in batch]).delete()


def clear_pending_earnings(
    *,
    now: datetime | None = None,
    batch_size: int = 500,  # pragma: no mutate - any size clears the same rows
) -> int:
    """J-5: move pending earnings and tips whose clearing period is over to available, through
    the sweep (SKIP LOCKED batches over the queue of what still waits; the unique `clears` link
    refuses a second clearing)."""
    return sweep(
        _due_for_clearing,
        _clear,
        order_by=("due_at", "entry"),
        now=now,
        batch_size=batch_size,
    )
