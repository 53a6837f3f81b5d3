"""Appending to the ledger, the running balances it keeps, and serialising the spending of one
user's balances."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from accounts.models import User
from marketplace.models import (
    Balance,
    BalanceHold,
    Bucket,
    CardRefund,
    EntryKind,
    LedgerEntry,
    Order,
    PendingClearance,
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
    """One movement of money, with the user's running balance in its bucket and, for an
    earning that clears later, its place in the clearing sweep's queue — all in the caller's
    transaction. Entries are never changed or deleted (the table refuses it)."""
    (entry,) = append_many(
        [
            LedgerEntry(
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
        ]
    )
    return entry


def append_many(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """Several movements at once (a sweep's batch): one INSERT, each running balance changed
    once, in (user, bucket) order — every transaction that changes several balances takes
    their row locks in that order, so two never deadlock — and the new pending earnings
    queued for clearing."""
    created = LedgerEntry.objects.bulk_create(entries)
    deltas: dict[tuple[int, str], int] = defaultdict(int)
    for entry in created:
        if entry.bucket != Bucket.EXTERNAL:
            deltas[(entry.user_id, entry.bucket)] += entry.amount_cents
    if len(deltas) > 2:
        _add_to_balances(deltas)
    else:
        for (user_id, bucket), cents in sorted(deltas.items()):
            _add_to_balance(user_id, bucket, cents)
    PendingClearance.objects.bulk_create(
        PendingClearance(entry=entry, user_id=entry.user_id, due_at=entry.available_at)
        for entry in created
        if entry.bucket == Bucket.PENDING and entry.amount_cents > 0 and entry.available_at
    )
    return created


def _add_to_balances(deltas: dict[tuple[int, str], int]) -> None:
    """A batch's balances (a ban's refunds to forty buyers): the rows locked in (user, bucket)
    order, then one UPDATE for all of them — two statements, not one per balance. A balance
    without a row yet gets it from `_add_to_balance`."""
    rows = list(
        Balance.objects.select_for_update()
        .filter(user_id__in={user for user, _ in deltas}, bucket__in={b for _, b in deltas})
        .order_by("user_id", "bucket")
        .only("user_id", "bucket", "cents")
    )
    changed = [row for row in rows if (row.user_id, row.bucket) in deltas]
    for row in changed:
        row.cents += deltas[(row.user_id, row.bucket)]
    Balance.objects.bulk_update(changed, ["cents"])
    for user_id, bucket in sorted(deltas.keys() - {(row.user_id, row.bucket) for row in rows}):
        _add_to_balance(user_id, bucket, deltas[(user_id, bucket)])


def _add_to_balance(user_id: int, bucket: str, cents: int) -> None:
    rows = Balance.objects.filter(user_id=user_id, bucket=bucket)
    if rows.update(cents=F("cents") + cents):
        return
    try:
        with transaction.atomic():  # a savepoint: the first entry of this user in this bucket
            Balance.objects.create(user_id=user_id, bucket=bucket, cents=cents)
    except IntegrityError:
        # Created by a concurrent transaction meanwhile: add to it. Anything else (a first
        # entry that would make a balance negative) is a real error.
        if not rows.update(cents=F("cents") + cents):
            raise


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
    pending entry being settled (`clears`) is linked from the entry that takes it out, and
    leaves the clearing sweep's queue."""
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
    if clears is not None:
        PendingClearance.objects.filter(entry=clears).delete()


@dataclass(frozen=True)
class Reconciliation:
    users_checked: int
    balances_repaired: int


def reconcile_balances(*, batch_size: int = 1000) -> Reconciliation:
    """Recompute every running balance from the ledger and repair drift; idempotent, and
    reports what it repaired. Safe beside live traffic without locks: the balance and the sum
    of its entries are read in one statement (one snapshot), and a repair adds the difference
    (`cents = cents + drift`), so an entry committed meanwhile keeps the delta it added."""
    checked = repaired = 0
    truth = Coalesce(
        Subquery(
            LedgerEntry.objects.filter(user=OuterRef("user"), bucket=OuterRef("bucket"))
            .values("user")
            .annotate(total=Sum("amount_cents"))
            .values("total")
        ),
        0,
    )
    last_id = 0
    while True:
        users = list(
            User.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not users:
            break
        last_id = users[-1]
        checked += len(users)
        drifted = (
            Balance.objects.filter(user_id__in=users)
            .annotate(truth=truth)
            .exclude(cents=F("truth"))
            .values_list("pk", "cents", "truth")
        )
        for pk, cents, actual in drifted:
            Balance.objects.filter(pk=pk).update(cents=F("cents") + (actual - cents))
            repaired += 1
        missing = (
            LedgerEntry.objects.filter(user_id__in=users)
            .exclude(bucket=Bucket.EXTERNAL)
            .values("user_id", "bucket")
            .annotate(total=Sum("amount_cents"))
            .exclude(total=0)
        )
        have = set(Balance.objects.filter(user_id__in=users).values_list("user_id", "bucket"))
        for row in missing:
            if (row["user_id"], row["bucket"]) not in have:
                _add_to_balance(row["user_id"], row["bucket"], row["total"])
                repaired += 1
    return Reconciliation(users_checked=checked, balances_repaired=repaired)
