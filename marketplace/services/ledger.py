"""Appending to the ledger and serialising the spending of one user's balances."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from marketplace.models import Bucket, EntryKind, LedgerEntry, Order


def lock_user(user_id: int) -> None:
    """Serialise everything that spends one user's balances (orders paid with credit,
    withdrawals): the second of two concurrent spends sees the first's entries."""
    User.objects.select_for_update().filter(pk=user_id).values_list("pk").get()


def entry(
    user: User | int,
    bucket: Bucket,
    kind: EntryKind,
    amount_cents: int,
    order: Order | None = None,
    **extra: Any,
) -> LedgerEntry:
    user_id = user if isinstance(user, int) else user.pk
    return LedgerEntry.objects.create(
        user_id=user_id, bucket=bucket, kind=kind, amount_cents=amount_cents, order=order, **extra
    )
