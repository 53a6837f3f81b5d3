"""Appending to the ledger and serialising the spending of one user's balances."""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from marketplace.models import (
    BalanceHold,
    Bucket,
    CardRefund,
    EntryKind,
    LedgerEntry,
    Order,
    Withdrawal,
)


def lock_user(user_id: int) -> None:
    """Serialise everything that spends or holds one user's balances (orders paid with credit,
    withdrawals, holds, refunds to card, refused payouts): the second of two concurrent ones
    sees the first's entries. `FOR NO KEY UPDATE` conflicts with itself but not with the key
    share lock an insert referencing the user takes, so the clearing sweep, which appends
    entries for users it has not locked, never waits on (or deadlocks with) a holder of this."""
    User.objects.select_for_update(no_key=True).filter(pk=user_id).values_list("pk").get()


def append(
    *,
    user: User | int,
    bucket: Bucket,
    kind: EntryKind,
    amount_cents: int,
    order: Order | None = None,
    withdrawal: Withdrawal | None = None,
    card_refund: CardRefund | None = None,
    hold: BalanceHold | None = None,
    reference: str = "",
    available_at: datetime | None = None,
    clears: LedgerEntry | None = None,
) -> LedgerEntry:
    """One movement of money. Entries are never changed or deleted (the table refuses it)."""
    return LedgerEntry.objects.create(
        user_id=user if isinstance(user, int) else user.pk,
        bucket=bucket,
        kind=kind,
        amount_cents=amount_cents,
        order=order,
        withdrawal=withdrawal,
        card_refund=card_refund,
        hold=hold,
        reference=reference,
        available_at=available_at,
        clears=clears,
    )


def move(
    *,
    user: User | int,
    source: Bucket,
    target: Bucket,
    kind: EntryKind,
    amount_cents: int,
    order: Order | None = None,
    hold: BalanceHold | None = None,
    clears: LedgerEntry | None = None,
) -> None:
    """Move money between two of a user's balances: a pair of entries of the same kind. A
    pending entry being settled (`clears`) is linked from the entry that takes it out."""
    append(
        user=user,
        bucket=source,
        kind=kind,
        amount_cents=-amount_cents,
        order=order,
        hold=hold,
        clears=clears,
    )
    append(user=user, bucket=target, kind=kind, amount_cents=amount_cents, order=order, hold=hold)
