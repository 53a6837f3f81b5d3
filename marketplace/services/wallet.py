"""The wallet (K-5, J-5): clearing pending earnings, withdrawals through the payout backend."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.models import User
from marketplace import permissions, providers, selectors
from marketplace.errors import IdempotencyKeyReused, InsufficientFunds
from marketplace.models import Bucket, EntryKind, LedgerEntry, Withdrawal, WithdrawalStatus
from marketplace.services.ledger import entry as _entry
from marketplace.services.ledger import lock_user as _lock_user


def withdraw_funds(
    user: User, *, amount_cents: int, idempotency_key: str
) -> tuple[Withdrawal, bool]:
    """Withdraw available funds. A retried request with the same key returns the first
    withdrawal (created=False) and never pays twice; two concurrent withdrawals of the whole
    balance are serialised on the user's row, so exactly one succeeds."""
    permissions.may_withdraw(user).enforce()
    existing = Withdrawal.objects.filter(user=user, idempotency_key=idempotency_key).first()
    if existing:
        return _replayed(existing, amount_cents), False
    try:
        with transaction.atomic():
            _lock_user(user.pk)
            if selectors.balances(user).available_cents < amount_cents:
                raise InsufficientFunds()
            withdrawal = Withdrawal.objects.create(
                user=user, amount_cents=amount_cents, idempotency_key=idempotency_key
            )
            _entry(
                user, Bucket.AVAILABLE, EntryKind.WITHDRAWAL, -amount_cents, withdrawal=withdrawal
            )
            audit.record(
                "marketplace.withdrawal_requested",
                actor=user,
                target_user=user,
                obj=withdrawal,
                data={"cents": amount_cents},
            )
            transaction.on_commit(lambda: _enqueue_payout(withdrawal))
    except IntegrityError:  # the same key, committed by a concurrent request
        existing = Withdrawal.objects.get(user=user, idempotency_key=idempotency_key)
        return _replayed(existing, amount_cents), False
    return withdrawal, True


def _replayed(withdrawal: Withdrawal, amount_cents: int) -> Withdrawal:
    if withdrawal.amount_cents != amount_cents:
        raise IdempotencyKeyReused()
    return withdrawal


def _enqueue_payout(withdrawal: Withdrawal) -> None:
    from marketplace.tasks import pay_out_withdrawal as task

    task.delay(str(withdrawal.pk))


def pay_out_withdrawal(withdrawal_id: str) -> Withdrawal:
    """Send a requested withdrawal to the payout backend. Safe to run twice: only a `requested`
    withdrawal is paid, under its row lock, with the withdrawal's id as the provider's
    idempotency key. A refused payout returns the money to the available balance."""
    with transaction.atomic():
        withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal_id)
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
            withdrawal.status = WithdrawalStatus.FAILED
            withdrawal.failure = str(error)
            withdrawal.settled_at = timezone.now()
            withdrawal.save(update_fields=["status", "failure", "settled_at"])
            _entry(
                withdrawal.user_id,
                Bucket.AVAILABLE,
                EntryKind.WITHDRAWAL_REVERSED,
                withdrawal.amount_cents,
                withdrawal=withdrawal,
            )
            audit.record(
                "marketplace.withdrawal_failed", actor=None, obj=withdrawal, reason=str(error)
            )
            return withdrawal
        withdrawal.status = WithdrawalStatus.PAID
        withdrawal.payout_reference = payout.reference
        withdrawal.settled_at = timezone.now()
        withdrawal.save(update_fields=["status", "payout_reference", "settled_at"])
        _entry(
            withdrawal.user_id,
            Bucket.EXTERNAL,
            EntryKind.WITHDRAWAL,
            withdrawal.amount_cents,
            withdrawal=withdrawal,
        )
        audit.record("marketplace.withdrawal_paid", actor=None, obj=withdrawal)
    return withdrawal


def clear_pending_earnings(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """J-5: move pending earnings and tips whose clearing period is over to available.

    Each batch claims due entries with SKIP LOCKED, so overlapping runs never clear one twice
    (the unique `clears` link would refuse it anyway), and a crashed run is finished by the next.
    """
    now = now or timezone.now()
    cleared = 0
    while True:
        with transaction.atomic():
            due = list(
                LedgerEntry.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    bucket=Bucket.PENDING,
                    amount_cents__gt=0,
                    available_at__lte=now,
                    cleared_by__isnull=True,
                )
                .order_by("available_at", "id")[:batch_size]
            )
            for entry in due:
                _entry(
                    entry.user_id,
                    Bucket.PENDING,
                    EntryKind.CLEARING,
                    -entry.amount_cents,
                    entry.order,
                    clears=entry,
                )
                _entry(
                    entry.user_id,
                    Bucket.AVAILABLE,
                    EntryKind.CLEARING,
                    entry.amount_cents,
                    entry.order,
                )
        cleared += len(due)
        if len(due) < batch_size:
            return cleared
